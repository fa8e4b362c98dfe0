import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inboundMessages } from '../../server/db/schema/index.ts';
import { ensureDatabase } from '../../server/embedded/postgres.ts';
import { startEngine } from '../../server/embedded/engine-process.ts';
import { registerComplaint } from '../../server/intake/register-complaint.ts';
import { createTestContext, eventually, type TestContext } from '../helpers/test-context.ts';
import {
  giveTenantsFreshAddresses,
  messageId,
  rfc822,
  runIntake,
  sendRaw,
  type RunningIntake,
} from './intake-helpers.ts';

const PORT = 18191 + Number(process.env.TEST_PORT_OFFSET ?? 0);

/**
 * Issue 3 leftover 5: a consumer's reply arrives while the engine is down. The reply is recorded with its case and
 * the message still to correlate; once the engine is back the retry loop correlates it, exactly once.
 * This file runs its own engine so it can stop it.
 */
describe('correlation retried after the engine was down', () => {
  let t: TestContext;
  let intake: RunningIntake;
  let engineDb: { jdbcUrl: string; user: string; password: string };
  let stopEngine: (() => Promise<void>) | undefined;
  const user = 'reclamatii';
  const password = randomBytes(12).toString('hex');

  async function start() {
    const e = await startEngine({
      jdbcUrl: engineDb.jdbcUrl,
      dbUser: engineDb.user,
      dbPassword: engineDb.password,
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
    const name = `corr_retry_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(admin.toString(), name);
    engineDb = {
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
    await intake?.stop();
    await t?.close();
    await stopEngine?.();
  });

  it('records the reply while the engine is stopped and correlates it once the engine is back', async () => {
    const addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
    const consumer = `retry-${Date.now()}@example.test`;
    const reg = await registerComplaint(t.app.registerDeps, {
      tenantId: t.demoTenantId,
      channel: 'email',
      category: 'facturare',
      subject: 'Factură prea mare',
      body: 'Factura din octombrie este de trei ori mai mare decât de obicei.',
      contactName: 'Elena Retry',
      contactEmail: consumer,
      actor: { id: null, kind: 'system' },
    });
    expect(reg.processStarted).toBe(true);
    intake = await runIntake({ db: t.db, engine: t.engine, secret: 'test-secret' }, [t.demoTenantId], {
      correlationRetryMs: 300,
    });

    await stopEngine!();
    stopEngine = undefined;
    await sendRaw(
      addr.demo,
      rfc822(
        { From: consumer, To: addr.demo, Subject: `Re: Reclamația ${reg.number}`, 'Message-ID': messageId() },
        'Atașez și factura din septembrie, pentru comparație.',
      ),
      consumer,
    );
    const [outcome] = await intake.waitForOutcomes(1);
    expect(outcome).toMatchObject({ status: 'reply', number: reg.number, correlated: false });
    if (outcome?.status !== 'reply') throw new Error('not a reply');
    const pending = await eventually(async () => {
      const [r] = await t.db.select().from(inboundMessages).where(eq(inboundMessages.id, outcome.inboundId));
      return r && r.correlationAttempts >= 2 ? r : null;
    });
    expect(pending.pendingMessage).toBe('consumer-added-information');
    expect(pending.correlated).toBe(false);
    expect(pending.lastCorrelationError).toBeTruthy();

    await start();
    const done = await eventually(async () => {
      const [r] = await t.db.select().from(inboundMessages).where(eq(inboundMessages.id, outcome.inboundId));
      return r?.correlated ? r : null;
    }, 120_000);
    expect(done.pendingMessage).toBeNull();
    expect(done.nextCorrelationAt).toBeNull();

    // Exactly one "consumer added information" ran in the instance.
    const [instance] = await t.engine.findProcessInstances({
      businessKey: reg.number,
      tenantId: t.demoTenantId,
    });
    const history = await t.engine.activityHistory(instance!.id);
    expect(history.filter((a) => a.activityId === 'informationReceived')).toHaveLength(1);
  }, 300_000);
});
