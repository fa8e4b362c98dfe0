/**
 * What the keyed audit chain costs (issue 13 item 6): audit rows are appended as the API role, then sealed by the
 * workers role, once without the HMAC (the chain as it was: `sealTenant(db, null, …)`, a tenant of its own) and once
 * with it, alternating in rounds so both see the same machine load. Prints the per-row cost of appending, of
 * sealing before and after, the ratio, and what verifying with the key costs.
 *
 *   npm run bench:audit -- --rows 2000 --rounds 5      (DATABASE_URL's server, else an embedded PostgreSQL)
 *
 * Both roles go through the scoped client, so row-level security is included: appending runs in the tenant's
 * scope (a request's), sealing names its own (sealTenant), verifying runs as the owner in an every-tenant scope,
 * as `npm run audit:verify` does.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { appendAudit } from '../server/audit/index.ts';
import { auditChainKey, sealTenant, verifyAuditChain } from '../server/audit/audit-chain.ts';
import { createDb } from '../server/db/client.ts';
import { runMigrations } from '../server/db/migrate.ts';
import { ensureAppRoles } from '../server/db/roles.ts';
import { withAllTenants, withTenant } from '../server/db/tenant-scope.ts';
import { arg, benchDatabase } from './measure.ts';

const rows = arg('rows', 2000);
const rounds = arg('rounds', 5);
const bench = await benchDatabase('bench_audit');
const secret = randomBytes(32).toString('hex');
const key = auditChainKey(secret);
await runMigrations(bench.url);
const urls = await ensureAppRoles(bench.url, secret);
const owner = createDb(bench.url, { max: 2 });
const api = createDb(urls.api, { max: 8 });
const workers = createDb(urls.workers, { max: 2 });

async function tenant(code: string): Promise<string> {
  const [t] = await withAllTenants('bench set-up: a new tenant', () =>
    owner.db.execute<{ id: string }>(
      sql`INSERT INTO tenants (code, name, intake_email) VALUES (${code}, ${code}, ${`${code}@bench.test`}) RETURNING id`,
    ),
  );
  return t!.id;
}

async function append(tenantId: string): Promise<number> {
  const t0 = performance.now();
  // Eight writers at once, as concurrent requests of the tenant would append.
  await withTenant(tenantId, () =>
    Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = w; i < rows; i += 8)
          await appendAudit(api.db, {
            tenantId,
            actorKind: 'user',
            action: 'case.viewed',
            entityType: 'case',
            entityId: `BENCH-${i}`,
            details: { i, via: 'bench' },
          });
      }),
    ),
  );
  return performance.now() - t0;
}

async function seal(tenantId: string, keyed: boolean): Promise<number> {
  const t0 = performance.now();
  while ((await sealTenant(workers.db, keyed ? key : null, tenantId, 2000)) > 0);
  return performance.now() - t0;
}

try {
  const before = await tenant('BEFORE');
  const after = await tenant('AFTER');
  let appendMs = 0;
  let unkeyedMs = 0;
  let keyedMs = 0;
  for (let r = 0; r < rounds; r++) {
    appendMs += await append(before);
    appendMs += await append(after);
    // Alternate which goes first, so neither always meets a warmer cache.
    if (r % 2) {
      keyedMs += await seal(after, true);
      unkeyedMs += await seal(before, false);
    } else {
      unkeyedMs += await seal(before, false);
      keyedMs += await seal(after, true);
    }
  }
  const n = rows * rounds;
  const us = (ms: number) => ((ms * 1000) / n).toFixed(1);
  const t0 = performance.now();
  const report = await withAllTenants('bench: audit:verify as the command runs it', () =>
    verifyAuditChain(owner.db, after, { key }),
  );
  const verifyMs = performance.now() - t0;
  if (!report.ok || report.links !== n)
    throw new Error(`the keyed chain does not verify: ${JSON.stringify(report)}`);
  console.log(`audit rows appended (API role, 8 writers): ${us(appendMs / 2)} µs per row`);
  console.log(`sealing without HMAC (as before):           ${us(unkeyedMs)} µs per row`);
  console.log(`sealing with HMAC (now):                    ${us(keyedMs)} µs per row`);
  console.log(`ratio sealing after/before:                 ${(keyedMs / unkeyedMs).toFixed(2)}`);
  console.log(
    `ratio per audit entry, append + seal:        ${((appendMs / 2 + keyedMs) / (appendMs / 2 + unkeyedMs)).toFixed(2)}`,
  );
  console.log(
    `verifying ${n} links with the key:          ${verifyMs.toFixed(0)} ms (${us(verifyMs)} µs per link)`,
  );
} finally {
  await api.sql.end();
  await workers.sql.end();
  await owner.sql.end();
  await bench.drop(); // with the app's roles
}
