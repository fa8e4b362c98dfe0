/**
 * Intake benchmark: N registrations through the HTTP API with C concurrent clients (each one a real HTTP request:
 * auth, validation, the registration transaction, the outbox row and the engine's process start), then N bare
 * process starts straight on the engine REST API with the same concurrency, and the ratio of the two throughputs.
 *
 *   npm run bench:intake -- --n 1000 --c 16
 *
 * Self-contained: it starts the same services `npm start` would (or uses DATABASE_URL / ENGINE_URL) on a fresh
 * database. Workers are not running, so both sides measure the start alone. The app connects as the API's role
 * (bench/stack.ts), so the registrations include row-level security.
 */
import { desc, eq } from 'drizzle-orm';
import { buildApp } from '../server/app.ts';
import { processStarts } from '../server/db/schema/index.ts';
import { withTenant } from '../server/db/tenant-scope.ts';
import { loadInstructions } from '../server/instructions/instructions.ts';
import { DEMO_PASSWORD } from '../server/seed/demo.ts';
import { startBenchStack } from './stack.ts';
import { COMPLAINT_PROCESS_KEY } from '../processes/topics.ts';
import { arg, runConcurrent } from './measure.ts';

const N = arg('n', 1000);
const C = arg('c', 16);
const quiet = { info() {}, warn() {}, error() {} };

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
    console.log(`intake benchmark: N=${N}, C=${C}, ${new Date().toISOString()}`);
    // Warm up both paths (JIT, connection pools, engine caches).
    await runConcurrent('warm-up (not counted)', Math.min(100, N), C, async () => {
      const r = await fetch(`${base}/api/complaints`, { method: 'POST', headers, body });
      await r.arrayBuffer();
    });

    const ours = await runConcurrent('registrations via HTTP API', N, C, async () => {
      const r = await fetch(`${base}/api/complaints`, { method: 'POST', headers, body });
      const j = (await r.json()) as { processStarted?: boolean };
      if (r.status !== 201 || !j.processStarted) throw new Error(`registration failed: ${r.status}`);
    });
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
    const bare = await runConcurrent('bare engine process starts', N, C, async (i) => {
      await engine.startProcess({
        key: COMPLAINT_PROCESS_KEY,
        tenantId: demoTenantId,
        businessKey: `BENCH-${i}`,
        variables: vars,
      });
    });
    console.log(`ratio (bare engine starts/s ÷ our registrations/s): ${(bare / ours).toFixed(2)}`);
  } finally {
    await app.close();
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
