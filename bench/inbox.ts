/**
 * The inbox on its read model: 100 000 open tasks for the DEMO tenant (plus noise tenants and ended tasks), then
 * the inbox's own service call (one page + counts per view, exactly what GET /api/tasks runs) for each view and
 * filter, first and deep pages, sorted by due date. Prints p50/p95/p99 in ms per query.
 *
 *   npm run bench:inbox -- --n 100000 --runs 200
 *
 * Needs only PostgreSQL: DATABASE_URL (a server where it may create a throw-away database), else the embedded one.
 * The inbox and the consumer connect as the API's role, as `npm start` does, so every number includes row-level
 * security: the inbox calls run in the DEMO tenant's scope (what authentication gives a request), the consumer in
 * its own every-tenant scope. The fill and VACUUM run as the owner.
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { Principal } from '../server/auth/auth.service.ts';
import { createDb, type Db } from '../server/db/client.ts';
import { withTenant } from '../server/db/tenant-scope.ts';
import type { EngineClient } from '../server/engine/client.ts';
import { seedDemo } from '../server/seed/demo.ts';
import { createInboxService, type InboxQuery } from '../server/tasks/inbox.service.ts';
import { startTaskEventConsumer } from '../server/task-read-model/task-event-consumer.ts';
import { appRoles, benchDatabase, percentile } from './measure.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '200' },
    /** Keep the filled database (to EXPLAIN queries by hand); its name is printed. */
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(args.n);
const RUNS = Number(args.runs);

/** `n` tasks of a tenant, spread like a real supplier's: roles, categories, channels, due dates, holders. */
async function fill(
  db: Db,
  tenantId: string,
  n: number,
  opts: { state: string; prefix: string; assignee: string },
) {
  await db.execute(sql`
    insert into tasks (id, tenant_id, case_number, process_instance_id, task_definition_key, name, assignee,
      candidate_groups, due_at, created_at, state, last_event_id, category, channel, case_due_date, case_status,
      place_code, customer_name, subject, search_text)
    select ${opts.prefix} || g, ${tenantId}::uuid, 'DEMO-2026-' || lpad(g::text, 6, '0'), 'pi-' || ${opts.prefix} || g,
      k.key, k.name,
      case when g % 100 = 0 then ${opts.assignee} when g % 7 = 0 then gen_random_uuid()::text end,
      array[k.grp], due, due - interval '20 days', ${opts.state}, g,
      (array['contractare','facturare','oferte_preturi_tarife','continuitate_alimentare','calitate_energie',
        'grup_masurare','schimbare_furnizor','informare_clienti','solutionare_plangeri'])[1 + g % 9],
      (array['call_center','email','portal'])[1 + g % 3],
      (due at time zone 'Europe/Bucharest')::date, 'in_progress',
      'RO005E' || lpad((g * 7919 % 1000000)::text, 9, '0'), nm.name, sb.subject,
      inbox_norm(concat_ws(' ', 'DEMO-2026-' || lpad(g::text, 6, '0'), nm.name, sb.subject,
        'RO005E' || lpad((g * 7919 % 1000000)::text, 9, '0'), k.name))
    from generate_series(1, ${n}) g
    cross join lateral (select now() + ((g % 41) - 10) * interval '1 day' + (g % 1440) * interval '1 minute' as due) d
    cross join lateral (select
        (array['triage','analyze','checkInvoice','checkMeter','checkEmail','identify','approveAnswer',
          'completeByPhone','checkSupply','checkContract'])[1 + g % 10] as key,
        (array['Clasificarea și admisibilitatea reclamației','Analiza reclamației','Verificarea facturii',
          'Verificarea grupului de măsurare','Verificarea înregistrării primite pe e-mail',
          'Identificarea clientului','Aprobarea răspunsului','Completarea reclamației prin telefon',
          'Verificarea continuității','Verificarea contractului'])[1 + g % 10] as name,
        (array['RSP','RSP','SF','SM','REG','RRC','SEF','OCC','SC','SCT'])[1 + g % 10] as grp) k
    cross join lateral (select (array['Maria Ionescu','Ion Popescu','Elena Dumitrescu','Andrei Ștefănescu',
        'Ioana Țurcanu','Mihai Georgescu','Ana Constantinescu','Vlad Mureșan','Cristina Răducanu','Gheorghe Pîrvu'])
        [1 + (g / 10) % 10] || ' ' || (g % 997) as name) nm
    cross join lateral (select (array['Factură prea mare','Contor defect','Întreruperi repetate','Schimbare furnizor',
        'Preț nou nenotificat','Index estimat greșit','Racordare întârziată','Date personale'])[1 + (g / 3) % 8]
        as subject) sb`);
}

/**
 * The consumer on a stand-in outbox (the engine plugin's table, in this database): how fast a backlog is applied,
 * and how long one event takes from commit + NOTIFY to its row in the read model.
 */
async function consumerBench(db: Db, owner: Db, url: string, tenantId: string) {
  const E = Math.max(1000, Math.round(N / 5));
  const outbox = postgres(url, { max: 2, onnotice: () => {} });
  await outbox.unsafe(`create table task_event_outbox (id bigserial primary key, event_type text not null,
    task_id text not null, tenant_id text, process_instance_id text, business_key text, task_definition_key text,
    name text, assignee text, candidate_groups text, due_date timestamptz, created_at timestamptz not null default now())`);
  // A backlog: E tasks created, then each claimed (2 E events), as after a consumer outage.
  await outbox`insert into task_event_outbox (event_type, task_id, tenant_id, process_instance_id, task_definition_key,
      name, assignee, candidate_groups, due_date)
    select ev, 'e' || g, ${tenantId}, 'pi-e' || g, 'triage', 'Clasificarea reclamației',
      case when ev = 'assignment' then 'u' || (g % 50) end, 'RSP', now() + (g % 30) * interval '1 day'
    from generate_series(1, ${E}) g, unnest(array['create', 'assignment']) ev
    order by ev = 'assignment', g`;
  const max = (await outbox<Array<{ max: string }>>`select max(id) as max from task_event_outbox`)[0]!.max;
  const t0 = performance.now();
  const consumer = startTaskEventConsumer(db, url, { info() {}, warn() {}, error: (e) => console.error(e) });
  await consumer.ready;
  for (;;) {
    const [c] = (await owner.execute(sql`select last_event_id from task_event_cursor`)) as unknown as Array<{
      last_event_id: string;
    }>;
    if (c && Number(c.last_event_id) >= Number(max)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const backlogMs = performance.now() - t0;
  console.log(
    `\nconsumer: backlog of ${2 * E} events (${E} tasks created + claimed) applied in ${Math.round(backlogMs)} ms = ${Math.round((2 * E) / (backlogMs / 1000))} events/s`,
  );
  const lags: number[] = [];
  for (let i = 0; i < 50; i++) {
    const id = `lag${i}`;
    const s = performance.now();
    await outbox.begin(async (tx) => {
      await tx`insert into task_event_outbox (event_type, task_id, tenant_id, process_instance_id, task_definition_key,
          name, candidate_groups, due_date)
        values ('create', ${id}, ${tenantId}, 'pi-lag', 'triage', 'Clasificarea reclamației', 'RSP', now())`;
      await tx`notify task_events`;
    });
    for (;;) {
      const r = (await owner.execute(sql`select 1 from tasks where id = ${id}`)) as unknown as unknown[];
      if (r.length) break;
      await new Promise((res) => setTimeout(res, 2));
    }
    lags.push(performance.now() - s);
  }
  lags.sort((a, b) => a - b);
  console.log(
    `consumer: one event from commit + NOTIFY to the read model, 50 samples: p50 ${percentile(lags, 50).toFixed(1)} ms, p95 ${percentile(lags, 95).toFixed(1)} ms, max ${lags[lags.length - 1]!.toFixed(1)} ms`,
  );
  await consumer.stop();
  await outbox.end();
}

async function main() {
  const target = await benchDatabase('bench_inbox', args.keep);
  try {
    const urls = await appRoles(target.url);
    const { db, sql: client } = createDb(urls.api, { max: 10 });
    // The owner: the bench's own fill and checks (as the tests' set-up does), which the policies do not filter.
    const { db: owner, sql: ownerClient } = createDb(target.url, { max: 2, scoped: false });
    const { demoTenantId, acmeTenantId } = await seedDemo(db, 'http://localhost');
    const [officer] = (await owner.execute(
      sql`select id from users where email = 'officer@demo.local'`,
    )) as unknown as Array<{ id: string }>;
    const [supervisor] = (await owner.execute(
      sql`select id from users where email = 'supervisor@demo.local'`,
    )) as unknown as Array<{ id: string }>;

    const t0 = performance.now();
    await fill(owner, demoTenantId, N, { state: 'open', prefix: 'd', assignee: officer!.id });
    await fill(owner, demoTenantId, Math.round(N / 2), {
      state: 'completed',
      prefix: 'dc',
      assignee: officer!.id,
    });
    await fill(owner, acmeTenantId, Math.round(N / 2), { state: 'open', prefix: 'a', assignee: officer!.id });
    // Two more noise tenants' worth of rows on ACME's id would not add tenants; ACME stands for all others.
    await owner.execute(sql`vacuum analyze tasks`);
    console.log(
      `filled ${N} open + ${Math.round(N / 2)} ended tasks (DEMO) + ${Math.round(N / 2)} open (ACME) in ${Math.round(performance.now() - t0)} ms`,
    );

    const service = createInboxService({ db, engine: {} as EngineClient });
    // Each call in the DEMO tenant's scope, as a signed-in request of the DEMO tenant runs it.
    const inbox = {
      list: (p: Principal, query: InboxQuery) => withTenant(p.tenantId, () => service.list(p, query)),
    };
    const base = {
      tenantId: demoTenantId,
      tenantCode: 'DEMO',
      email: 'x',
      name: 'x',
      sessionId: 'x',
      sessionExpiresAt: new Date(),
    };
    const officerP: Principal = {
      ...base,
      userId: officer!.id,
      roles: ['officer'],
      jobRoles: ['RSP', 'SF', 'SM'],
    };
    const supervisorP: Principal = {
      ...base,
      userId: supervisor!.id,
      roles: ['supervisor'],
      jobRoles: ['SEF'],
    };

    // A deep page: the cursor of the 50 000th row of "all" and of the 20 000th of "my groups".
    const deepCursor = async (p: Principal, view: 'all' | 'groups', at: number) => {
      let after: string | undefined;
      const pageSize = 100;
      for (let i = 0; i < at / pageSize; i++) {
        const r = await inbox.list(p, { view, limit: pageSize, order: 'asc', after });
        after = r.nextCursor ?? undefined;
      }
      return after;
    };
    const deepAll = await deepCursor(supervisorP, 'all', 50_000);
    const deepGroups = await deepCursor(officerP, 'groups', 20_000);

    const q = (over: Partial<InboxQuery>): InboxQuery => ({
      view: 'groups',
      limit: 25,
      order: 'asc',
      ...over,
    });
    const scenarios: Array<[string, Principal, InboxQuery]> = [
      ['my groups, page 1', officerP, q({})],
      ['mine, page 1', officerP, q({ view: 'mine' })],
      ['all open (supervisor), page 1', supervisorP, q({ view: 'all' })],
      ['all open, sort by due desc', supervisorP, q({ view: 'all', order: 'desc' })],
      ['my groups + category', officerP, q({ category: 'facturare' })],
      ['my groups + due overdue', officerP, q({ due: 'overdue' })],
      ['my groups + due today', officerP, q({ due: 'today' })],
      ['my groups + due this week', officerP, q({ due: 'week' })],
      ['my groups + channel + unassigned', officerP, q({ channel: 'email', holder: 'unassigned' })],
      ['my groups + place prefix', officerP, q({ place: 'RO005E0001' })],
      ['my groups + text "popescu"', officerP, q({ q: 'popescu' })],
      ['all + text "stefanescu 12"', supervisorP, q({ view: 'all', q: 'stefanescu 12' })],
      ['all + text case number', supervisorP, q({ view: 'all', q: 'DEMO-2026-054321' })],
      [
        'all + category + overdue + text',
        supervisorP,
        q({ view: 'all', category: 'grup_masurare', due: 'overdue', q: 'contor' }),
      ],
      ['all, deep page (row 50 000)', supervisorP, q({ view: 'all', after: deepAll })],
      ['my groups, deep page (row 20 000)', officerP, q({ after: deepGroups })],
    ];

    console.log(`\nGET /api/tasks work (page of 25 + counts per view), ${RUNS} runs each, ms:`);
    console.log(
      `${'query'.padEnd(40)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)}  rows  count`,
    );
    for (const [label, p, query] of scenarios) {
      for (let i = 0; i < 5; i++) await inbox.list(p, query);
      const times: number[] = [];
      let last: Awaited<ReturnType<typeof inbox.list>> | undefined;
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        last = await inbox.list(p, query);
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      const f = (x: number) => x.toFixed(1).padStart(7);
      console.log(
        `${label.padEnd(40)} ${f(percentile(times, 50))} ${f(percentile(times, 95))} ${f(percentile(times, 99))}  ${String(last?.items.length ?? 0).padStart(4)}  ${last?.counts[query.view] ?? ''}`,
      );
    }
    // The consumer as in `npm start`: the API's connection; it names its every-tenant scope itself.
    await consumerBench(db, owner, target.url, demoTenantId);
    await client.end();
    await ownerClient.end();
  } finally {
    await target.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
