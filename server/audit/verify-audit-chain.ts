/**
 * Checks every tenant's audit chain (or one tenant's) and exits non-zero when anything does not match:
 *
 *   npm run audit:verify -- [--tenant DEMO] [--seal]
 *
 * It recomputes the hashes, checks each link's HMAC with the key derived from APP_SECRET (the embedded default's
 * `.data/secrets/app-secret` when APP_SECRET is unset) and compares the chain with the heads anchored in
 * `<DATA_DIR>/audit-anchors/`. DATABASE_URL is any role that can read audit_log and audit_chain (unset: the
 * embedded PostgreSQL of `npm start`). `--seal` first seals what is pending, as the workers do every few seconds
 * (it needs a role that may insert links: the owner or the workers role).
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.ts';
import { embeddedDefaults } from '../embedded/secrets.ts';
import { createDb, type Db } from '../db/client.ts';
import { withAllTenants } from '../db/tenant-scope.ts';
import { auditAnchorDir } from './audit-anchors.ts';
import {
  auditChainKey,
  sealAll,
  tenantsToVerify,
  verifyAuditChain,
  type ChainReport,
} from './audit-chain.ts';

/** The installation's secret, read, never created (a new one would make every MAC fail). */
function describe(code: string, r: ChainReport): string {
  const parts: string[] = [];
  if (r.brokenAt)
    parts.push(
      `BROKEN at link ${r.brokenAt.seq} (audit row ${r.brokenAt.auditId}: ${r.brokenAt.reason}) after ${r.links} good links`,
    );
  else parts.push(`${r.unsealedOld || r.anchors.failed.length ? 'INCOMPLETE' : 'ok'}, ${r.links} links`);
  if (r.unkeyed) parts.push(`${r.unkeyed} sealed before the chain was keyed`);
  if (r.unsealedOld) parts.push(`${r.unsealedOld} old rows not sealed`);
  const failed = r.anchors.failed;
  if (failed.length)
    parts.push(
      `ANCHORS DIFFER: ${failed
        .slice(0, 5)
        .map((f) => `link ${f.seq} ${f.reason}`)
        .join(', ')}${failed.length > 5 ? ` and ${failed.length - 5} more` : ''}`,
    );
  parts.push(`${r.anchors.checked} anchors checked`);
  if (r.anchors.unreadable) parts.push(`${r.anchors.unreadable} unreadable anchor lines`);
  return `${code}: ${parts.join('; ')}`;
}

export async function verifyCommand(
  argv: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ok: boolean; lines: string[] }> {
  const config = loadConfig(env);
  const defaults = embeddedDefaults(env, config);
  const url = defaults.databaseUrl;
  const key = auditChainKey(defaults.appSecret());
  const anchorDir = auditAnchorDir(config.dataDir);
  const { db, sql: client } = createDb(url, { max: 2 });
  try {
    // Unreachable, the database would surface as the first query's failure ("Failed query: …"): say it plainly.
    await client`select 1`.catch((err: NodeJS.ErrnoException) => {
      const where = new URL(url).host;
      throw new Error(
        `The database at ${where} cannot be reached (${err.code ?? err.message}): start the system (npm start), or give its address with DATABASE_URL (or EMBEDDED_PG_PORT when npm start runs on another port).`,
      );
    });
    // A command of the platform's operator about every tenant's chain (server/db/tenant-scope.ts).
    return await withAllTenants('audit:verify command', () => verifyTenants(db, argv, key, anchorDir));
  } finally {
    await client.end();
  }
}

async function verifyTenants(
  db: Db,
  argv: string[],
  key: ReturnType<typeof auditChainKey>,
  anchorDir: string,
): Promise<{ ok: boolean; lines: string[] }> {
  if (argv.includes('--seal')) await sealAll(db, key);
  const i = argv.indexOf('--tenant');
  const code = i >= 0 ? argv[i + 1] : undefined;
  const tenants = await tenantsToVerify(db, code);
  if (code && tenants.length === 0) throw new Error(`no tenant ${code}`);
  const lines: string[] = [];
  let ok = true;
  for (const t of tenants) {
    const r = await verifyAuditChain(db, t.id, { key, anchorDir });
    ok &&= r.ok;
    lines.push(describe(t.code, r));
  }
  return { ok, lines };
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
