import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployBaseline } from '../../server/engine/deploy-processes.ts';
import { startProcessStartDispatcher } from '../../server/cases/index.ts';
import { ownEngine, type OwnEngine } from '../helpers/own-engine.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';

const PORT = 18190 + Number(process.env.TEST_PORT_OFFSET ?? 0);

/**
 * Nothing is lost when the engine is down: registrations commit in our database, and the outbox starts exactly
 * one process instance per case once the engine is back. This file runs its own engine so it can stop it.
 */
describe('registration while the engine is down', () => {
  let t: TestContext;
  let engine: OwnEngine;

  beforeAll(async () => {
    engine = await ownEngine(PORT, 'engine_down');
    await engine.start();
    t = await createTestContext({ engineUrl: engine.url, engineCredentials: engine.credentials });
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await engine?.stop();
  });

  it('registers while stopped, then starts exactly one instance per case', async () => {
    await engine.stop();

    const agent = await t.login('agent@demo.local');
    const c = (await t.app.inject({ method: 'GET', url: '/api/customers?q=Munteanu', headers: agent })).json<{
      items: Array<{ id: string; places: Array<{ id: string }> }>;
    }>().items[0]!;
    const numbers: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/complaints',
        headers: agent,
        payload: {
          customerId: c.id,
          placeId: c.places[0]!.id,
          category: 'facturare',
          subject: `Factură ${i}`,
          body: 'Factura are o valoare greșită față de index.',
        },
      });
      expect(r.statusCode).toBe(201);
      expect(r.json<{ processStarted: boolean }>().processStarted).toBe(false);
      numbers.push(r.json<{ number: string }>().number);
    }

    await engine.start();
    await deployBaseline(t.engine, t.demoTenantId);
    // Make every pending row due now, and let two dispatchers race for them (as two replicas would).
    await t.db.execute(sql`update process_starts set locked_until = now() where started_at is null`);
    const d1 = startProcessStartDispatcher(t.db, t.engine, silentLog, { intervalMs: 100_000 });
    const d2 = startProcessStartDispatcher(t.db, t.engine, silentLog, { intervalMs: 100_000 });
    await Promise.all([d1.drain(), d2.drain()]);
    await Promise.all([d1.stop(), d2.stop()]);

    for (const n of numbers) {
      const instances = await t.engine.findProcessInstances({ businessKey: n, tenantId: t.demoTenantId });
      expect(instances, n).toHaveLength(1);
    }
    const pending = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from process_starts where started_at is null`,
    );
    expect(pending[0]?.n).toBe(0);
    // A second drain finds nothing to do and starts nothing twice.
    const again = startProcessStartDispatcher(t.db, t.engine, silentLog, { intervalMs: 100_000 });
    expect(await again.drain()).toBe(0);
    await again.stop();
  });
});
