/**
 * Checks every tenant's audit hash chain (or one tenant's) and exits non-zero when a link does not match:
 *
 *   DATABASE_URL=... npx tsx server/audit/verify-audit-chain.ts [--tenant DEMO] [--seal]
 *
 * `--seal` first seals what is pending (as the workers do every few seconds).
 */
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { createDb } from '../db/client.ts';
import { sealAll, verifyAuditChain } from './audit-chain.ts';

export async function verifyCommand(
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ok: boolean; lines: string[] }> {
  if (!env.DATABASE_URL) throw new Error('DATABASE_URL is required');
  const { db, sql: client } = createDb(env.DATABASE_URL, { max: 2 });
  try {
    if (argv.includes('--seal')) await sealAll(db);
    const i = argv.indexOf('--tenant');
    const code = i >= 0 ? argv[i + 1] : undefined;
    const tenants = await db.execute<{ id: string; code: string }>(
      code
        ? sql`SELECT id, code FROM tenants WHERE code = ${code}`
        : sql`SELECT id, code FROM tenants ORDER BY code`,
    );
    if (code && tenants.length === 0) throw new Error(`no tenant ${code}`);
    const lines: string[] = [];
    let ok = true;
    for (const t of tenants) {
      const r = await verifyAuditChain(db, t.id);
      ok &&= r.ok;
      lines.push(
        r.brokenAt
          ? `${t.code}: BROKEN at link ${r.brokenAt.seq} (audit row ${r.brokenAt.auditId}: ${r.brokenAt.reason}) after ${r.links} good links`
          : `${t.code}: ${r.ok ? 'ok' : 'INCOMPLETE'}, ${r.links} links${r.unsealedOld ? `, ${r.unsealedOld} old rows not sealed` : ''}`,
      );
    }
    return { ok, lines };
  } finally {
    await client.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  verifyCommand(process.argv.slice(2), process.env).then(
    ({ ok, lines }) => {
      process.stdout.write(`${lines.join('\n')}\n`);
      process.exit(ok ? 0 : 1);
    },
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(2);
    },
  );
}
