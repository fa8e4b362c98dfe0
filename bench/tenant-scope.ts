/**
 * What row-level security costs (issue 13 item 6): the same drizzle statements
 *   - bare:   a plain postgres.js/drizzle connection as the owner (no scope, no policies): the baseline;
 *   - scoped: the app's connection (server/db/client.ts, the scoped client) as the API role inside withTenant, so
 *             each statement goes out as begin; set_config ×2; statement; commit on a reserved connection and the
 *             tenant policy filters it;
 *   - wrapper (only with --split): the scoped client as the owner, whom the policies do not filter: the cost of
 *             the wrapper alone, to tell it from the policies' own;
 * for a primary-key select of a case, a small insert (a comment) and a 3-statement transaction (select the case,
 * insert the comment, append its audit row), at concurrency 1 and 16. The variants alternate in rounds so that
 * they see the same machine load. Prints p50/p95 per statement (per transaction for the transaction), throughput,
 * and the ratio scoped/bare.
 *
 *   npm run bench:tenant-scope -- --n 2000 --rounds 4 --cases 10000 [--split]
 *
 * Needs only PostgreSQL: DATABASE_URL (a server where it may create a throw-away database), else the embedded one.
 */
import { eq, sql } from 'drizzle-orm';
import { createDb, type Db } from '../server/db/client.ts';
import { auditLog, caseComments, cases } from '../server/db/schema/index.ts';
import { withTenant } from '../server/db/tenant-scope.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { appRoles, arg, benchDatabase, percentile } from './measure.ts';

const N = arg('n', 2000);
const ROUNDS = Math.max(1, arg('rounds', 4));
const CASES = arg('cases', 10_000);
const SPLIT = process.argv.includes('--split');

interface Variant {
  name: string;
  db: Db;
  /** The scope the statement runs in: none for the owner's plain connection, the DEMO tenant's otherwise. */
  run<T>(fn: () => Promise<T>): Promise<T>;
}

interface Result {
  latencies: number[];
  ops: number;
  ms: number;
}

/** `n` calls of `one` by `c` callers at a time; latencies of each and the wall time of all. */
async function load(n: number, c: number, one: (i: number) => Promise<void>): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        const s = performance.now();
        await one(i);
        latencies.push(performance.now() - s);
      }
    }),
  );
  return { latencies, ops: n, ms: performance.now() - t0 };
}

/** `n` cases of a tenant (only what the statements need; the rest as the supervision bench fills them). */
async function fillCases(owner: Db, tenantId: string, code: string, n: number) {
  await owner.execute(sql`
    insert into cases (tenant_id, number, year, seq, channel, category, subject, body, contact_name, received_at,
      registered_on, due_date, deadline_rule, status, search_text)
    select ${tenantId}::uuid, ${code} || '-2026-' || lpad(g::text, 6, '0'), 2026, g,
      (array['call_center','email','portal'])[1 + g % 3], 'facturare', 'Factură prea mare ' || g,
      'Textul reclamației ' || g, 'Client ' || (g % 997), now(), current_date, current_date + 30,
      '{"days":30,"unit":"calendar","legalBasis":"Ord. ANRE 16/2015"}'::jsonb, 'in_progress', 'client ' || g
    from generate_series(1, ${n}) g`);
}

const dbh = await benchDatabase('bench_rls');
try {
  const urls = await appRoles(dbh.url);
  const bare = createDb(dbh.url, { max: 16, scoped: false });
  const api = createDb(urls.api, { max: 16 });
  const wrapper = createDb(dbh.url, { max: 16 });
  const { demoTenantId, acmeTenantId } = await seedDemo(api.db, 'http://localhost');
  // Another tenant's rows beside the DEMO tenant's, as in a shared installation: the policy has something to hide.
  await fillCases(bare.db, demoTenantId, 'DEMO', CASES);
  await fillCases(bare.db, acmeTenantId, 'ACME', CASES);
  await bare.db.execute(sql`vacuum analyze cases`);
  const caseIds = (
    await bare.db.execute<{ id: string }>(
      sql`select id from cases where tenant_id = ${demoTenantId}::uuid order by random() limit 2000`,
    )
  ).map((r) => r.id);
  const [author] = await bare.db.execute<{ id: string }>(
    sql`select id from users where tenant_id = ${demoTenantId}::uuid order by email limit 1`,
  );
  const authorId = author!.id;

  const demo = <T>(fn: () => Promise<T>) => withTenant(demoTenantId, fn);
  const variants: Variant[] = [
    { name: 'bare', db: bare.db, run: (fn) => fn() },
    { name: 'scoped', db: api.db, run: demo },
    ...(SPLIT ? [{ name: 'wrapper', db: wrapper.db, run: demo }] : []),
  ];

  // The statements, the same drizzle code for every variant; each checks its result, so that a scope that hid
  // the row (and so ran faster) would fail instead of being measured.
  const caseOf = (i: number) => caseIds[i % caseIds.length]!;
  const scenarios: Array<{ label: string; one: (db: Db, i: number) => Promise<void> }> = [
    {
      label: 'primary-key select (a case)',
      async one(db, i) {
        const rows = await db
          .select()
          .from(cases)
          .where(eq(cases.id, caseOf(i)));
        if (rows.length !== 1) throw new Error('the case is not visible');
      },
    },
    {
      label: 'small insert (a comment)',
      async one(db, i) {
        await db
          .insert(caseComments)
          .values({ tenantId: demoTenantId, caseId: caseOf(i), authorId, body: `Comentariu ${i}` });
      },
    },
    {
      label: 'transaction: select + 2 inserts',
      async one(db, i) {
        await db.transaction(async (tx) => {
          const [c] = await tx
            .select({ id: cases.id, number: cases.number })
            .from(cases)
            .where(eq(cases.id, caseOf(i)));
          if (!c) throw new Error('the case is not visible');
          await tx
            .insert(caseComments)
            .values({ tenantId: demoTenantId, caseId: c.id, authorId, body: `Notă ${i}` });
          await tx.insert(auditLog).values({
            tenantId: demoTenantId,
            actorId: authorId,
            actorKind: 'user',
            action: 'case.commented',
            entityType: 'case',
            entityId: c.number,
          });
        });
      },
    },
  ];

  console.log(
    `row-level security: n=${N} per variant and line, ${ROUNDS} rounds, ${CASES} cases per tenant, ${new Date().toISOString()}`,
  );
  console.log('bare = owner, plain postgres.js/drizzle; scoped = API role, scoped client, inside withTenant');
  if (SPLIT) console.log('wrapper = owner through the scoped client (the wrapper without the policies)');
  const f = (x: number) => x.toFixed(2).padStart(6);
  for (const { label, one } of scenarios) {
    for (const c of [1, 16]) {
      // Warm-up (JIT, pools, plans), not counted.
      for (const v of variants) await v.run(() => load(Math.min(200, N), c, (i) => one(v.db, i)));
      const results = new Map<string, Result>(
        variants.map((v) => [v.name, { latencies: [], ops: 0, ms: 0 }]),
      );
      const per = Math.ceil(N / ROUNDS);
      for (let r = 0; r < ROUNDS; r++) {
        // Rotate who goes first, so that none always meets a warmer cache.
        for (let k = 0; k < variants.length; k++) {
          const v = variants[(r + k) % variants.length]!;
          const x = await load(per, c, (i) => v.run(() => one(v.db, r * per + i)));
          const acc = results.get(v.name)!;
          acc.latencies.push(...x.latencies);
          acc.ops += x.ops;
          acc.ms += x.ms;
        }
      }
      console.log(`\n${label}, concurrency ${c}:`);
      const stat = (name: string) => {
        const x = results.get(name)!;
        return {
          p50: percentile(x.latencies, 50),
          p95: percentile(x.latencies, 95),
          rate: x.ops / (x.ms / 1000),
        };
      };
      for (const v of variants) {
        const s = stat(v.name);
        console.log(
          `  ${v.name.padEnd(8)} p50 ${f(s.p50)} ms  p95 ${f(s.p95)} ms  ${s.rate.toFixed(0).padStart(6)}/s`,
        );
      }
      const b = stat('bare');
      for (const v of variants.filter((x) => x.name !== 'bare')) {
        const s = stat(v.name);
        console.log(
          `  ${`${v.name}/bare`.padEnd(14)} p50 ×${(s.p50 / b.p50).toFixed(2)}  p95 ×${(s.p95 / b.p95).toFixed(2)}  throughput ×${(s.rate / b.rate).toFixed(2)}`,
        );
      }
    }
  }
  await bare.sql.end();
  await api.sql.end();
  await wrapper.sql.end();
} finally {
  await dbh.drop();
}
