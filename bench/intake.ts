/**
 * Intake benchmark: N registrations through the HTTP API with C concurrent clients (each one a real HTTP request:
 * auth, validation, the registration transaction, the outbox row and the engine's process start), beside the two
 * limits it is made of, measured in the same run with the same concurrency:
 *   - E: bare process starts straight on the engine's REST API (the same process, the same variables);
 *   - T: bare registration transactions on PostgreSQL (number, case, first event, outbox row and audit entry: the
 *     repository calls registration makes, nothing else).
 * Both run on the same two cores as the API, so the most registrations can reach is 1 / (1/E + 1/T); the last line
 * is `intake: api A/s, engine E/s, transaction T/s, ratio R` with R = A / that limit (bench/README.md).
 *
 *   npm run bench:intake -- --n 1000 --c 16
 *
 * Self-contained: it starts the same services `npm start` would (or uses DATABASE_URL / ENGINE_URL) on a fresh
 * database. Workers are not running, so both sides measure the start alone. The app connects as the API's role
 * (bench/stack.ts), so the registrations include row-level security.
 */
import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { Pool } from 'undici';
import { buildApp } from '../server/app.ts';
import { processStarts } from '../server/db/schema/index.ts';
import { withTenant } from '../server/db/tenant-scope.ts';
import { loadInstructions } from '../server/instructions/instructions.ts';
import { DEMO_PASSWORD } from '../server/seed/demo.ts';
import { startBenchStack } from './stack.ts';
import { COMPLAINT_PROCESS_KEY } from '../processes/topics.ts';
import { recordRegistration } from '../server/cases/index.ts';
import { arg, runConcurrent, type Throughput, profileIf } from './measure.ts';
import { cpuByProcess, printCpuSince, printMemory } from './memory.ts';

const N = arg('n', 1000);
const C = arg('c', 16);
/**
 * Registrations before the measured ones. The engine's JIT keeps compiling its start path for the first thousand
 * or so: with 300, the engine spent 7.8 ms of CPU per start during the registrations against 5.9 ms in the bare
 * starts measured after them; with 1500, 7.7 against 7.4 (bench/README.md).
 */
const WARMUP = arg('warmup', 1000);
const quiet = { info() {}, warn() {}, error() {} };
/** `--cpu-profile <file>`: a V8 CPU profile of this process during the registrations only (bench/README.md). */
const cpuProfileFile = process.argv.includes('--cpu-profile')
  ? process.argv[process.argv.indexOf('--cpu-profile') + 1]
  : undefined;

async function main() {
  const { config, infra, db, engine, demoTenantId, close } = await startBenchStack();
  const app = await buildApp({
    config,
    db,
    engine,
    secret: infra.secret,
    instructions: await loadInstructions(),
    log: quiet,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  try {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'agent@demo.local', password: DEMO_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const found = (await (
      await fetch(`${base}/api/customers?q=RO005E512345678`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as {
      items: Array<{ id: string; places: Array<{ id: string }> }>;
    };
    const customer = found.items[0]!;
    const body = JSON.stringify({
      customerId: customer.id,
      placeId: customer.places[0]!.id,
      category: 'facturare',
      subject: 'Factură contestată',
      body: 'Consumul facturat nu corespunde indexului citit de mine pe contor.',
    });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // The clients' side as light as it can be (undici's pool, one keep-alive connection per client, rather than
    // fetch's Request/Response objects): it runs on the same two cores as the server it measures.
    const clients = new Pool(base, { connections: C, pipelining: 1 });
    const post = async () => {
      const r = await clients.request({ path: '/api/complaints', method: 'POST', headers, body });
      return { status: r.statusCode, json: (await r.body.json()) as { processStarted?: boolean } };
    };
    console.log(`intake benchmark: N=${N}, C=${C}, ${new Date().toISOString()}`);
    printMemory('idle, before the warm-up');
    // Warm up both paths (JIT, connection pools, engine caches).
    await runConcurrent('warm-up (not counted)', WARMUP, C, async () => {
      await post();
    });

    const profile = await profileIf(cpuProfileFile, 'the registrations');
    let cpu = cpuByProcess();
    const ours = await runConcurrent('registrations via HTTP API', N, C, async () => {
      const r = await post();
      if (r.status !== 201 || !r.json.processStarted) throw new Error(`registration failed: ${r.status}`);
    });
    printCpuSince('registrations via HTTP API', cpu, N);
    await clients.close();
    await profile.stop();
    printMemory('after the registrations');
    // The variables our last registration started its process with, so the bare starts stay the same starts
    // whatever the process comes to need.
    const [last] = await withTenant(demoTenantId, () =>
      db
        .select({ variables: processStarts.variables })
        .from(processStarts)
        .where(eq(processStarts.tenantId, demoTenantId))
        .orderBy(desc(processStarts.id))
        .limit(1),
    );
    if (!last) throw new Error('no registration left its process start behind');
    const vars = { ...last.variables, caseId: '00000000-0000-4000-8000-000000000000' };
    cpu = cpuByProcess();
    const bare = await runConcurrent('bare engine process starts', N, C, async (i) => {
      await engine.startProcess({
        key: COMPLAINT_PROCESS_KEY,
        tenantId: demoTenantId,
        businessKey: `BENCH-${i}`,
        variables: vars,
      });
    });
    printCpuSince('bare engine process starts', cpu, N);
    // The registration transaction alone, as registerComplaint writes it: one statement (number, case, first event,
    // outbox row, audit entry; cases/registration.repo.ts) in its own transaction.
    const year = new Date().getFullYear();
    cpu = cpuByProcess();
    const transactions = await runConcurrent('bare registration transactions', N, C, async () => {
      await withTenant(demoTenantId, () =>
        recordRegistration(db, {
          caseId: randomUUID(),
          tenantId: demoTenantId,
          tenantCode: 'BENCH',
          year,
          channel: 'call_center',
          category: 'facturare',
          customerType: 'household',
          energy: 'electricity',
          source: 'consumer',
          authorityName: null,
          authorityReference: null,
          authorityDueDate: null,
          subject: 'Factură contestată',
          body: 'Consumul facturat nu corespunde indexului citit de mine pe contor.',
          customerId: customer.id,
          placeId: customer.places[0]!.id,
          contactName: 'Bench',
          contactEmail: null,
          contactPhone: null,
          receivedAt: new Date(),
          registeredOn: last.variables.registeredOn as string,
          dueDate: last.variables.dueDate as string,
          deadlineRule: { days: 30, unit: 'calendar', legalBasis: 'bench' },
          createdBy: null,
          actor: { id: null, kind: 'system' },
          searchWords: 'bench',
          processKey: COMPLAINT_PROCESS_KEY,
          variables: vars,
        }),
      );
    });
    printCpuSince('bare registration transactions', cpu, N);
    report(ours, bare, transactions);
  } finally {
    await app.close();
    await close();
  }
}

/** The closing line (its shape is a contract: bench/README.md), after the p95 the issue bounds. */
function report(api: Throughput, engine: Throughput, tx: Throughput) {
  const limit = 1 / (1 / engine.rate + 1 / tx.rate);
  const ratio = api.rate / limit;
  console.log(
    `combined limit 1/(1/E + 1/T): ${limit.toFixed(1)}/s; API p95 ${api.p95.toFixed(1)} ms at ${C} clients`,
  );
  console.log(
    `intake: api ${api.rate.toFixed(1)}/s, engine ${engine.rate.toFixed(1)}/s, transaction ${tx.rate.toFixed(1)}/s, ratio ${ratio.toFixed(2)}`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
