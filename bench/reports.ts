/**
 * The regulator report at scale: N complaints of the DEMO tenant registered over a year (every category, customer
 * type, energy, channel and source; answered in time, late, or not yet; some with compensation paid), plus another
 * tenant's, then the report of one quarter as JSON, CSV, XLSX and PDF (what GET /api/reports/indicators runs).
 * Prints p50/p95/p99 in ms.
 *
 *   npx tsx bench/reports.ts --n 100000 --runs 10
 *
 * Needs only PostgreSQL: DATABASE_URL (a server where it may create a throw-away database), else the embedded one.
 * The service connects as the API's role in the DEMO tenant's scope, as a supervisor's request does.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { Principal } from '../server/auth/auth.service.ts';
import { createDb, type Db } from '../server/db/client.ts';
import { withTenant } from '../server/db/tenant-scope.ts';
import { createReportsService } from '../server/reports/index.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { appRoles, benchDatabase, percentile } from './measure.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.n);
const RUNS = Number(args.runs);

/** `n` complaints registered from 2025-10-01 over 365 days; 70 % answered (1 in 7 of those late), the rest open. */
async function fill(db: Db, tenantId: string, code: string, n: number) {
  await db.execute(sql`
    insert into cases (id, tenant_id, number, year, seq, channel, category, customer_type, energy, source, subject,
      body, contact_name, received_at, registered_on, due_date, deadline_rule, status, answer_communicated_at,
      answer_communicated_by, delay_days, compensation_lei, compensation_paid_on, compensation_paid_lei, search_text)
    select gen_random_uuid(), ${tenantId}::uuid, ${code} || '-2026-' || lpad(g::text, 7, '0'), 2026, g,
      (array['call_center','email','portal','counter','post','fax'])[1 + g % 6],
      (array['contractare','facturare','oferte_preturi_tarife','continuitate_alimentare','calitate_energie',
        'grup_masurare','schimbare_furnizor','informare_clienti','solutionare_plangeri'])[1 + g % 9],
      (array['household','non_household',null])[1 + g % 3], (array['electricity','gas'])[1 + g % 2],
      case when g % 23 = 0 then 'authority' else 'consumer' end,
      'Reclamație ' || g, 'Textul reclamației ' || g, 'Client ' || (g % 997),
      d.reg::timestamptz, d.reg, d.reg + 30, '{"days":30,"unit":"calendar","legalBasis":"bench"}'::jsonb,
      case when g % 10 < 7 then 'closed' else 'in_progress' end,
      case when g % 10 < 7 then (d.reg + case when g % 7 = 0 then 35 else 10 end)::timestamptz end,
      case when g % 10 < 7 then 'email' end,
      case when g % 10 < 7 and g % 7 = 0 then 5 end,
      case when g % 10 < 7 and g % 7 = 0 then 300 end,
      case when g % 10 < 7 and g % 7 = 0 then d.reg + 50 end,
      case when g % 10 < 7 and g % 7 = 0 then 300 end,
      'client ' || g
    from generate_series(1, ${n}) g
    cross join lateral (select date '2025-10-01' + (g % 365) as reg) d`);
}

async function time(label: string, fn: () => Promise<unknown>) {
  await fn(); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  console.log(
    `${label.padEnd(36)} p50 ${percentile(xs, 50).toFixed(0).padStart(6)}  p95 ${percentile(xs, 95).toFixed(0).padStart(6)}  p99 ${percentile(xs, 99).toFixed(0).padStart(6)} ms`,
  );
}

const dbh = await benchDatabase('bench_rep', args.keep);
try {
  const urls = await appRoles(dbh.url);
  const { db, sql: client } = createDb(urls.api, { max: 4 });
  const { db: owner, sql: ownerClient } = createDb(dbh.url, { max: 2, scoped: false });
  const { demoTenantId, acmeTenantId } = await seedDemo(db, 'http://localhost');
  const t0 = performance.now();
  await fill(owner, demoTenantId, 'DEMO', N);
  await fill(owner, acmeTenantId, 'ACME', Math.round(N / 10));
  await owner.execute(sql`vacuum analyze`);
  console.log(
    `filled ${N} DEMO complaints + ${Math.round(N / 10)} ACME in ${Math.round(performance.now() - t0)} ms`,
  );
  const reports = createReportsService({ db });
  const p = { tenantId: demoTenantId, tenantCode: 'DEMO', roles: ['supervisor'] } as unknown as Principal;
  const demo = <T>(fn: () => Promise<T>) => withTenant(demoTenantId, fn);
  const q = ['2026-01-01', '2026-03-31'] as const;
  const r = await demo(() => reports.indicators(p, ...q));
  console.log(
    `Q1 2026: ${r.rows.length} rows, received ${r.total.received}, solved ${r.total.solved}, pending ${r.total.pending}`,
  );
  await time('indicators, one quarter (JSON)', () => demo(() => reports.indicators(p, ...q)));
  await time('indicators, one year (JSON)', () =>
    demo(() => reports.indicators(p, '2025-10-01', '2026-09-30')),
  );
  for (const format of ['csv', 'xlsx', 'pdf'] as const)
    await time(`one quarter as ${format.toUpperCase()}`, () =>
      demo(() => reports.indicatorsFile(p, ...q, format)),
    );
  await client.end();
  await ownerClient.end();
} finally {
  await dbh.drop();
}
