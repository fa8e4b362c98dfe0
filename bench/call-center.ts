/**
 * Call-center console benchmark: what the console asks of the API while the consumer is on the phone, through the
 * HTTP API with C concurrent agents: the one-box customer search (POD, name, phone, customer code), the found
 * customers' earlier cases, the deadline preview of the chosen category, and the registration
 * resolved during the call (one transaction, then the process start).
 *
 *   npx tsx bench/call-center.ts --n 300 --c 8
 *
 * Self-contained like the other benchmarks (bench/stack.ts). Workers are not running.
 */
import { buildApp } from '../server/app.ts';
import { complaintCategories } from '../server/db/schema/index.ts';
import { loadInstructions } from '../server/instructions/instructions.ts';
import { DEMO_PASSWORD } from '../server/seed/demo.ts';
import { startBenchStack } from './stack.ts';
import { arg, runConcurrent } from './measure.ts';

const N = arg('n', 300);
const C = arg('c', 8);
const quiet = { info() {}, warn() {}, error() {} };

async function main() {
  const stack = await startBenchStack();
  const app = await buildApp({
    config: stack.config,
    db: stack.db,
    engine: stack.engine,
    secret: stack.infra.secret,
    instructions: await loadInstructions(),
    log: quiet,
  });
  await app.ready();
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: 'agent@demo.local', password: DEMO_PASSWORD },
  });
  const headers = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
  const ok = (r: { statusCode: number; body: string }, what: string) => {
    if (r.statusCode >= 300) throw new Error(`${what}: ${r.statusCode} ${r.body}`);
  };

  const queries = ['RO005E512345678', 'Ionescu', '0744123456', '1000234567', 'Popescu', 'Cluj'];
  const ids = new Map<string, string[]>();
  await runConcurrent(`customer search (one box), c=${C}`, N, C, async (i) => {
    const q = queries[i % queries.length]!;
    const r = await app.inject({ method: 'GET', url: `/api/customers?q=${encodeURIComponent(q)}`, headers });
    ok(r, 'search');
    ids.set(
      q,
      r.json<{ items: Array<{ id: string }> }>().items.map((c) => c.id),
    );
  });

  const [customer] = (
    await app.inject({ method: 'GET', url: '/api/customers?q=RO005E512345678', headers })
  ).json<{ items: Array<{ id: string; places: Array<{ id: string }> }> }>().items;
  await runConcurrent(`registration resolved during the call, c=${C}`, N, C, async (i) => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/call-center/complaints',
      headers,
      payload: {
        customerId: customer!.id,
        placeId: customer!.places[0]!.id,
        category: complaintCategories[i % complaintCategories.length],
        subject: `Apel ${i}`,
        body: 'Clientul a transmis indexul, dar factura a fost emisă pe consum estimat.',
        resolution: 'Am corectat indexul; factura se reemite în două zile lucrătoare.',
      },
    });
    ok(r, 'registration');
  });

  await runConcurrent(`earlier cases of the found customers, c=${C}`, N, C, async (i) => {
    const found = ids.get(queries[i % queries.length]!) ?? [];
    if (!found.length) return;
    const qs = found.map((id) => `customerId=${id}`).join('&');
    ok(await app.inject({ method: 'GET', url: `/api/call-center/earlier-cases?${qs}`, headers }), 'earlier');
  });

  await runConcurrent(`deadline preview of the chosen category, c=${C}`, N, C, async (i) => {
    const c = complaintCategories[i % complaintCategories.length]!;
    ok(await app.inject({ method: 'GET', url: `/api/deadlines/preview?category=${c}`, headers }), 'preview');
  });

  await app.close();
  await stack.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
