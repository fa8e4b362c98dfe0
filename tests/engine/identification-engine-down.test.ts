import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, type Variables } from '../../server/engine/client.ts';
import { processInboundMail } from '../../server/intake/mail/process-message.ts';
import { ownEngine, type OwnEngine } from '../helpers/own-engine.ts';
import { createUser } from '../factories/index.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import { messageId, OUR_SENDER, rfc822 } from '../intake/intake-helpers.ts';

const PORT = 18197 + Number(process.env.TEST_PORT_OFFSET ?? 0);

type Headers = { authorization: string };

/**
 * Confirming an identification (POST /api/identification/:number/confirmation) is a task completion like any
 * other: atomic and idempotent (task_completions). This file runs its own engine so that it can stop it between
 * our database transaction and the engine's completion. Only the job role that owns the identify task (RRC)
 * may confirm, whatever the person's permission role.
 */
describe('identification confirmed while the engine fails', () => {
  let t: TestContext;
  let engine: OwnEngine;
  let rrc: Headers;
  let sef: Headers;
  let next: 'none' | 'killBefore' = 'none';

  class FlakyEngine extends EngineClient {
    override async complete(taskId: string, variables: Variables): Promise<void> {
      const mode = next;
      next = 'none';
      if (mode === 'killBefore') await engine.stop();
      await super.complete(taskId, variables);
    }
  }

  beforeAll(async () => {
    engine = await ownEngine(PORT, 'ident_down');
    await engine.start();
    t = await createTestContext({
      workers: true,
      engineUrl: engine.url,
      engineCredentials: engine.credentials,
      engineClient: (o) => new FlakyEngine(o),
    });
    const email = `rrc-${Date.now()}@demo.local`;
    await createUser(t, { email, name: 'Ofițer registratură', jobRoles: ['REG', 'RRC'] });
    rrc = await t.login(email);
    sef = await t.login('supervisor@demo.local');
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await engine?.stop();
  });

  /** An e-mail from an unknown sender: registered at once, checked by the registry, then waits for identification. */
  async function caseAtIdentify(): Promise<string> {
    const outcome = await processInboundMail(
      { db: t.db, engine: t.engine, secret: 's', log: silentLog, ownAddresses: [OUR_SENDER] },
      { id: t.demoTenantId, code: 'DEMO', intakeEmail: 'demo@reclamatii.local' },
      {
        raw: Buffer.from(
          rfc822(
            {
              From: 'Maria Ionescu <maria.alta@example.test>',
              Subject: 'Factura',
              'Message-ID': messageId(),
            },
            'Factura din octombrie este greșită, vă rog verificați.',
          ),
        ),
        arrivedAt: new Date(),
      },
    );
    if (outcome.status !== 'registered') throw new Error(`not registered: ${outcome.status}`);
    const number = outcome.number;
    const check = await openTask(number, 'checkEmail');
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/tasks/${check.id}/claim`, headers: rrc })).statusCode,
    ).toBe(200);
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${check.id}/complete`,
      headers: rrc,
      payload: { comment: 'Mesaj lizibil, petentul trebuie identificat.' },
    });
    expect(done.statusCode, done.body).toBe(200);
    await openTask(number, 'identify');
    return number;
  }

  async function openTask(number: string, key: string) {
    return waitFor(async () => {
      const tasks = await t.engine.queryTasks(
        { tenantIdIn: [t.demoTenantId], processInstanceBusinessKey: number },
        { firstResult: 0, maxResults: 20 },
      );
      return tasks.find((x) => x.taskDefinitionKey === key);
    });
  }

  async function pick(number: string) {
    const view = await t.app.inject({ method: 'GET', url: `/api/identification/${number}`, headers: rrc });
    expect(view.statusCode, view.body).toBe(200);
    const c = view
      .json<{ candidates: Array<{ customerId: string; customerCode: string; placeId: string | null }> }>()
      .candidates.find((x) => x.customerCode === '1000234999')!;
    return { customerId: c.customerId, placeId: c.placeId };
  }

  const confirm = (number: string, headers: Headers, payload: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/identification/${number}/confirmation`,
      headers,
      payload,
    });

  const count = async (query: ReturnType<typeof sql>) => (await t.db.execute<{ n: number }>(query))[0]!.n;
  const audits = (number: string) =>
    count(sql`select count(*)::int as n from audit_log a join cases c on c.id::text = a.entity_id
      where c.number = ${number} and a.action = 'case.consumer_identified'`);

  it('refuses a supervisor without the job role that owns the task (RRC), and nothing is recorded', async () => {
    const number = await caseAtIdentify();
    const r = await confirm(number, sef, await pick(number));
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json()).toMatchObject({ code: 'IDENTIFY_ROLE_REQUIRED' });
    expect(r.json<{ message: string }>().message).toContain('funcția');
    expect(await audits(number)).toBe(0);
    expect(
      await count(
        sql`select count(*)::int as n from task_completions tc join cases c on c.id = tc.case_id where c.number = ${number} and tc.task_definition_key = 'identify'`,
      ),
    ).toBe(0);
  });

  it('a double submit completes the task once: one audit entry, one intent, both answers alike', async () => {
    const number = await caseAtIdentify();
    const choice = await pick(number);
    const [a, b] = await Promise.all([confirm(number, rrc, choice), confirm(number, rrc, choice)]);
    expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`).toEqual([200, 200]);
    expect(a.json()).toMatchObject({ customerCode: '1000234999', taskCompleted: true });
    expect(b.json()).toEqual(a.json());
    expect(await audits(number)).toBe(1);
    await openTask(number, 'triage');
  });

  it('the engine stopped between our transaction and its completion: 503, one audit entry after retries', async () => {
    const number = await caseAtIdentify();
    const choice = await pick(number);
    next = 'killBefore';
    const r = await confirm(number, rrc, choice);
    expect(r.statusCode, r.body).toBe(503);
    expect(r.json()).toMatchObject({ code: 'TASK_COMPLETION_DEFERRED' });
    // Recorded once, with the case's customer set; the engine has not completed it yet.
    expect(await audits(number)).toBe(1);
    const [row] = await t.db.execute<{ customer_id: string | null; status: string; engine: boolean }>(
      sql`select c.customer_id, tc.status, tc.engine_completed_at is not null as engine
          from task_completions tc join cases c on c.id = tc.case_id
          where c.number = ${number} and tc.task_definition_key = 'identify'`,
    );
    expect(row).toMatchObject({ customer_id: choice.customerId, status: 'pending', engine: false });
    // The officer presses again while the engine is still down: the same intent, nothing repeated.
    const retry = await confirm(number, rrc, choice);
    expect(retry.statusCode, retry.body).toBe(503);
    expect(await audits(number)).toBe(1);

    await engine.start();
    // The dispatcher applies the recorded completion once the engine is back; the process goes on to triage.
    await waitFor(
      async () =>
        (await count(
          sql`select count(*)::int as n from task_completions tc join cases c on c.id = tc.case_id
              where c.number = ${number} and tc.task_definition_key = 'identify' and tc.status = 'applied'`,
        )) === 1,
      120_000,
    );
    await openTask(number, 'triage');
    const after = await confirm(number, rrc, choice);
    expect(after.statusCode, after.body).toBe(200);
    expect(after.json()).toMatchObject({ customerId: choice.customerId, taskCompleted: true });
    expect(await audits(number)).toBe(1);
    // Another choice after the confirmation is not a repeat of it.
    const other = await confirm(number, rrc, { customerId: choice.customerId });
    expect(other.statusCode).toBe(choice.placeId ? 409 : 200);
  }, 300_000);
});
