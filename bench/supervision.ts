/**
 * The supervisor view at scale: N open cases of the DEMO tenant (plus closed ones and another tenant's), each with
 * an open and a completed task in the read model, then the supervision service's own calls (what GET
 * /api/supervision/cases, /workload and /stats run). Prints p50/p95/p99 in ms per query.
 *
 *   npm run bench:supervision -- --n 100000 --runs 100
 *
 * Needs only PostgreSQL: DATABASE_URL (a server where it may create a throw-away database), else the embedded one.
 * The service connects as the API's role and runs in the DEMO tenant's scope, as a supervisor's request does, so
 * every number includes row-level security. The fill and VACUUM run as the owner.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { Principal } from '../server/auth/auth.service.ts';
import { createDb, type Db } from '../server/db/client.ts';
import { withTenant } from '../server/db/tenant-scope.ts';
import type { EngineClient } from '../server/engine/client.ts';
import { loadInstructions } from '../server/instructions/instructions.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { createSupervisionService } from '../server/supervision/supervision.service.ts';
import { appRoles, benchDatabase, percentile } from './measure.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '100' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.n);
const RUNS = Number(args.runs);

/** `n` cases of a tenant, due dates spread from 20 days ago to 40 days ahead; `openShare` of them still open. */
async function fill(db: Db, tenantId: string, code: string, n: number) {
  await db.execute(sql`
    insert into cases (id, tenant_id, number, year, seq, channel, category, subject, body, contact_name, received_at,
      registered_on, due_date, deadline_rule, status, search_text)
    select gen_random_uuid(), ${tenantId}::uuid, ${code} || '-2026-' || lpad(g::text, 6, '0'), 2026, g,
      (array['call_center','email','portal'])[1 + g % 3],
      (array['contractare','facturare','oferte_preturi_tarife','continuitate_alimentare','calitate_energie',
        'grup_masurare','schimbare_furnizor','informare_clienti','solutionare_plangeri'])[1 + g % 9],
      'Factură prea mare ' || g, 'Textul reclamației ' || g, 'Client ' || (g % 997),
      now() - (g % 60) * interval '1 day', (now() - (g % 60) * interval '1 day')::date,
      (now() + ((g % 61) - 20) * interval '1 day')::date,
      '{"days":30,"unit":"calendar","legalBasis":"Ord. ANRE 16/2015"}'::jsonb,
      case when g % 5 = 0 then 'closed' else 'in_progress' end, 'client ' || g
    from generate_series(1, ${n}) g`);
  await db.execute(sql`
    insert into tasks (id, tenant_id, case_id, case_number, process_instance_id, task_definition_key, name, assignee,
      candidate_groups, due_at, created_at, state, last_event_id, category, channel, case_due_date, case_status)
    select c.number || '-' || s.state, c.tenant_id, c.id, c.number, 'pi-' || c.number, s.key, s.name,
      case when c.seq % 3 = 0 then (select id::text from users where tenant_id = c.tenant_id order by email limit 1) end,
      array[s.grp], c.due_date + interval '1 day', c.received_at, s.state, c.seq, c.category, c.channel, c.due_date,
      c.status
    from cases c
    cross join (values ('open', 'analyze', 'Analiza reclamației', 'RSP'),
                       ('completed', 'triage', 'Clasificarea și admisibilitatea reclamației', 'RSP')) s(state, key, name, grp)
    where c.tenant_id = ${tenantId}::uuid and (c.status <> 'closed' or s.state = 'completed')`);
}

async function time(label: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  console.log(
    `${label.padEnd(44)} p50 ${percentile(xs, 50).toFixed(1).padStart(7)}  p95 ${percentile(xs, 95).toFixed(1).padStart(7)}  p99 ${percentile(xs, 99).toFixed(1).padStart(7)} ms`,
  );
}

const dbh = await benchDatabase('bench_sup', args.keep);
try {
  const urls = await appRoles(dbh.url);
  const { db, sql: client } = createDb(urls.api, { max: 4 });
  // The owner: the bench's own fill (as the tests' set-up does), which the policies do not filter.
  const { db: owner, sql: ownerClient } = createDb(dbh.url, { max: 2, scoped: false });
  const { demoTenantId, acmeTenantId } = await seedDemo(db, 'http://localhost');
  const t0 = performance.now();
  await fill(owner, demoTenantId, 'DEMO', N);
  await fill(owner, acmeTenantId, 'ACME', Math.round(N / 10));
  await owner.execute(sql`vacuum analyze`); // what autovacuum does: visibility map set, statistics fresh
  console.log(
    `filled ${N} DEMO cases (${Math.round(N * 0.8)} open) + ${Math.round(N / 10)} ACME in ${Math.round(performance.now() - t0)} ms`,
  );
  const svc = createSupervisionService({
    db,
    engine: {} as EngineClient,
    instructions: await loadInstructions(),
  });
  const [sup] = (await owner.execute(
    sql`select id from users where tenant_id = ${demoTenantId}::uuid and email = 'supervisor@demo.local'`,
  )) as unknown as Array<{ id: string }>;
  const p = {
    tenantId: demoTenantId,
    userId: sup!.id,
    roles: ['supervisor'],
    jobRoles: ['SEF'],
  } as unknown as Principal;
  // Each call in the DEMO tenant's scope, as a signed-in supervisor's request runs it.
  const demo = <T>(fn: () => Promise<T>) => withTenant(demoTenantId, fn);
  await time('open cases, page 1 (late first)', () => demo(() => svc.openCases(p, 1, 25)));
  await time('open cases, page 100', () => demo(() => svc.openCases(p, 100, 25)));
  await time('open cases, only at risk', () => demo(() => svc.openCases(p, 1, 25, 'at_risk')));
  await time('workload per officer and role', () => demo(() => svc.workload(p)));
  await time('counts per category and channel, 1 year', () =>
    demo(() => svc.stats(p, '2025-12-01', '2026-11-30')),
  );
  await client.end();
  await ownerClient.end();
} finally {
  await dbh.drop();
}
