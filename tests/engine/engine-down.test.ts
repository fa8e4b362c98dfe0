import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDatabase } from '../../server/embedded/postgres.ts';
import { startEngine } from '../../server/embedded/engine-process.ts';
import { deployBaseline } from '../../server/engine/deploy-processes.ts';
import { startProcessStartDispatcher } from '../../server/outbox/process-starts.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';

const PORT = 18190 + Number(process.env.TEST_PORT_OFFSET ?? 0);

/**
 * Nothing is lost when the engine is down: registrations commit in our database, and the outbox starts exactly
 * one process instance per case once the engine is back. This file runs its own engine so it can stop it.
 */
describe('registration while the engine is down', () => {
  let t: TestContext;
  let engineDbUrl: { jdbcUrl: string; user: string; password: string };
  let stopEngine: (() => Promise<void>) | undefined;
  const user = 'reclamatii';
  const password = randomBytes(12).toString('hex');

  async function start() {
    const e = await startEngine({
      ...{ jdbcUrl: engineDbUrl.jdbcUrl, dbUser: engineDbUrl.user, dbPassword: engineDbUrl.password },
      port: PORT,
      restUser: user,
      restPassword: password,
      log: { info() {}, warn() {} },
      logFile: path.join(inject('testDataDir'), 'logs', `engine-${PORT}.log`),
    });
    stopEngine = () => e.stop();
  }

  beforeAll(async () => {
    const admin = new URL(inject('adminDatabaseUrl'));
    const name = `engine_down_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(admin.toString(), name);
    engineDbUrl = {
      jdbcUrl: `jdbc:postgresql://${admin.hostname}:${admin.port || '5432'}/${name}`,
      user: decodeURIComponent(admin.username || 'postgres'),
      password: decodeURIComponent(admin.password),
    };
    await start();
    t = await createTestContext({
      engineUrl: `http://127.0.0.1:${PORT}/engine-rest`,
      engineCredentials: { user, password },
    });
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await stopEngine?.();
  });

  it('registers while stopped, then starts exactly one instance per case', async () => {
    await stopEngine!();
    stopEngine = undefined;

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

    await start();
    const engine = t.engine;
    await deployBaseline(engine, t.demoTenantId);
    // Make every pending row due now, and let two dispatchers race for them (as two replicas would).
    await t.db.execute(sql`update process_starts set locked_until = now() where started_at is null`);
    const d1 = startProcessStartDispatcher(t.db, engine, silentLog, { intervalMs: 100_000 });
    const d2 = startProcessStartDispatcher(t.db, engine, silentLog, { intervalMs: 100_000 });
    await Promise.all([d1.drain(), d2.drain()]);
    await Promise.all([d1.stop(), d2.stop()]);

    for (const n of numbers) {
      const instances = await engine.findProcessInstances({ businessKey: n, tenantId: t.demoTenantId });
      expect(instances, n).toHaveLength(1);
    }
    const pending = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from process_starts where started_at is null`,
    );
    expect(pending[0]?.n).toBe(0);
    // A second drain finds nothing to do and starts nothing twice.
    const again = startProcessStartDispatcher(t.db, engine, silentLog, { intervalMs: 100_000 });
    expect(await again.drain()).toBe(0);
    await again.stop();
  });
});
