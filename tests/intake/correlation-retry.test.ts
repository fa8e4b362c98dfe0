import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { inboundMessages } from '../../server/db/schema/index.ts';
import { registerComplaint } from '../../server/intake/register-complaint.ts';
import { startProcessStartDispatcher } from '../../server/cases/index.ts';
import { ownEngine, type OwnEngine } from '../helpers/own-engine.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
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
  let intake: RunningIntake | undefined;
  let engine: OwnEngine;
  let addr: { demo: string; acme: string };

  beforeAll(async () => {
    engine = await ownEngine(PORT, 'corr_retry');
    await engine.start();
    t = await createTestContext({ engineUrl: engine.url, engineCredentials: engine.credentials });
    addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
  }, 300_000);
  afterEach(async () => {
    await intake?.stop();
    intake = undefined;
    await engine.start();
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await engine?.stop();
  });

  const complaint = (consumer: string) => ({
    tenantId: t.demoTenantId,
    channel: 'email' as const,
    category: 'facturare' as const,
    subject: 'Factură prea mare',
    body: 'Factura din octombrie este de trei ori mai mare decât de obicei.',
    contactName: 'Elena Retry',
    contactEmail: consumer,
    actor: { id: null, kind: 'system' as const },
  });

  /** How many times "consumer added information" ran in the case's one process instance. */
  async function informationReceivedCount(number: string): Promise<number> {
    const instances = await t.engine.findProcessInstances({ businessKey: number, tenantId: t.demoTenantId });
    expect(instances).toHaveLength(1);
    const history = await t.engine.activityHistory(instances[0]!.id);
    return history.filter((a) => a.activityId === 'informationReceived').length;
  }

  /** The consumer replies by e-mail while the engine is away; the intake records it as a reply still to correlate. */
  async function replyWhileEngineAway(number: string, consumer: string, body: string) {
    intake = await runIntake({ db: t.db, engine: t.engine, secret: 'test-secret' }, [t.demoTenantId], {
      correlationRetryMs: 300,
    });
    await sendRaw(
      addr.demo,
      rfc822(
        { From: consumer, To: addr.demo, Subject: `Re: Reclamația ${number}`, 'Message-ID': messageId() },
        body,
      ),
      consumer,
    );
    const [outcome] = await intake.waitForOutcomes(1);
    expect(outcome).toMatchObject({ status: 'reply', number, correlated: false });
    if (outcome?.status !== 'reply') throw new Error('not a reply');
    const row = async () =>
      (await t.db.select().from(inboundMessages).where(eq(inboundMessages.id, outcome.inboundId)))[0]!;
    return { row };
  }

  it('records the reply while the engine is stopped and correlates it once the engine is back', async () => {
    const consumer = `retry-${Date.now()}@example.test`;
    const reg = await registerComplaint(t.app.registerDeps, complaint(consumer));
    expect(reg.processStarted).toBe(true);
    await engine.stop();
    const { row } = await replyWhileEngineAway(
      reg.number,
      consumer,
      'Atașez și factura din septembrie, pentru comparație.',
    );
    const pending = await waitFor(async () => {
      const r = await row();
      return r.correlationAttempts >= 2 ? r : null;
    });
    expect(pending.pendingMessage).toBe('consumer-added-information');
    expect(pending.correlated).toBe(false);
    expect(pending.lastCorrelationError).toBeTruthy();

    await engine.start();
    const done = await waitFor(async () => {
      const r = await row();
      return r.correlated ? r : null;
    }, 120_000);
    expect(done.pendingMessage).toBeNull();
    expect(done.nextCorrelationAt).toBeNull();

    // Exactly one "consumer added information" ran in the instance.
    expect(await informationReceivedCount(reg.number)).toBe(1);
  }, 300_000);

  it('keeps a reply that came before its case process started, and correlates it once the process runs', async () => {
    await engine.stop();
    const consumer = `early-${Date.now()}@example.test`;
    const reg = await registerComplaint(t.app.registerDeps, complaint(consumer));
    expect(reg.processStarted).toBe(false);
    const { row } = await replyWhileEngineAway(reg.number, consumer, 'Revin cu indexul citit azi: 45210.');

    // The engine comes back: the retry loop must not take "no instance" as final while the case's start is owed.
    await engine.start();
    const attemptsAtRestart = (await row()).correlationAttempts;
    await waitFor(async () => (await row()).correlationAttempts > attemptsAtRestart, 60_000);
    const waiting = await row();
    expect(waiting.pendingMessage).toBe('consumer-added-information');
    expect(waiting.lastCorrelationError).toBe('the case process has not started yet');

    // The process-start outbox starts the case's process; the reply then reaches it, once.
    const dispatcher = startProcessStartDispatcher(t.db, t.engine, silentLog, { intervalMs: 200 });
    try {
      await t.db.execute(sql`update process_starts set locked_until = now() where started_at is null`);
      const done = await waitFor(async () => {
        const r = await row();
        return r.correlated ? r : null;
      }, 120_000);
      expect(done.pendingMessage).toBeNull();
      expect(await informationReceivedCount(reg.number)).toBe(1);
    } finally {
      await dispatcher.stop();
    }
  }, 300_000);
});
