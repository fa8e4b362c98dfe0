import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineClient, EngineError, type Variables } from '../../server/engine/client.ts';
import { ownEngine, type OwnEngine } from '../helpers/own-engine.ts';
import { createCase } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

const PORT = 18195 + Number(process.env.TEST_PORT_OFFSET ?? 0);

type Headers = { authorization: string };

/**
 * Completing a task changes the case, the audit, the outbox (a request to the distribution operator) and the
 * engine together or not at all, once. This file runs its own engine so that it can kill it between our database
 * transaction and the engine's completion, and an engine client that can lose the engine's answer.
 */
describe('task completion when the engine fails between the steps', () => {
  let t: TestContext;
  let engine: OwnEngine;
  let officer: Headers;
  let agent: Headers;
  /** What the next engine completion does besides completing: nothing, die first, or lose the answer. */
  let next: 'none' | 'killBefore' | 'loseAnswer' | 'cancelBefore' = 'none';

  class FlakyEngine extends EngineClient {
    override async complete(taskId: string, variables: Variables): Promise<void> {
      const mode = next;
      next = 'none';
      if (mode === 'killBefore') await engine.stop();
      if (mode === 'cancelBefore') {
        const task = await this.getTask(taskId);
        await this.deleteProcessInstance(task!.processInstanceId, 'test: cancelled meanwhile');
      }
      await super.complete(taskId, variables);
      if (mode === 'loseAnswer')
        throw new EngineError(0, 'Transport', 'engine request failed: socket hang up');
    }
  }

  beforeAll(async () => {
    engine = await ownEngine(PORT, 'completion_down');
    await engine.start();
    t = await createTestContext({
      workers: true,
      engineUrl: engine.url,
      engineCredentials: engine.credentials,
      engineClient: (o) => new FlakyEngine(o),
    });
    officer = await t.login('officer@demo.local');
    agent = await t.login('agent@demo.local');
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    await engine?.stop();
  });

  async function register() {
    const r = await createCase(t, {
      as: agent,
      category: 'grup_masurare',
      subject: 'Contor suspect',
      body: 'Contorul înregistrează un consum mult mai mare decât cel real, vă rog verificați.',
    });
    return { number: r.number, caseId: r.id };
  }

  /** The case's next open task for the officer, claimed, with its form. */
  async function nextTask(number: string) {
    // From the engine: the inbox read model follows the shared engine's events, not this file's own engine.
    const task = await waitFor(async () => {
      const q = new URLSearchParams({ processInstanceBusinessKey: number, tenantIdIn: t.demoTenantId });
      const res = await fetch(`${t.engineRest.url}/task?${q}`, {
        headers: { authorization: t.engineRest.authorization },
      });
      return ((await res.json()) as Array<{ id: string }>)[0];
    });
    const claim = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/claim`,
      headers: officer,
    });
    expect(claim.statusCode, claim.body).toBe(200);
    const d = (await t.app.inject({ method: 'GET', url: `/api/tasks/${task.id}`, headers: officer })).json<{
      form: string | null;
      branches: string[];
    }>();
    return { id: task.id, form: d.form, branches: d.branches };
  }

  const complete = (taskId: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/tasks/${taskId}/complete`, headers: officer, payload });

  const count = async (query: ReturnType<typeof sql>) => (await t.db.execute<{ n: number }>(query))[0]!.n;

  it('an engine answer lost after it completed the task: applied once, the task gone counts as done', async () => {
    const { number, caseId } = await register();
    const triage = await nextTask(number);
    expect(triage.form).toBe('triage');
    next = 'loseAnswer';
    const r = await complete(triage.id, { outcome: 'admissible' });
    expect(r.statusCode, r.body).toBe(503);
    expect(r.json<{ code: string }>().code).toBe('TASK_COMPLETION_DEFERRED');
    // The dispatcher finds the task already completed (by this very intent) and marks it applied.
    await waitFor(
      async () =>
        (await count(
          sql`select count(*)::int as n from task_completions where task_id = ${triage.id} and status = 'applied'`,
        )) === 1,
    );
    // A retry of the same submit answers as the first time and repeats nothing.
    const again = await complete(triage.id, { outcome: 'admissible' });
    expect(again.statusCode, again.body).toBe(200);
    expect(
      await count(
        sql`select count(*)::int as n from audit_log where entity_id = ${caseId} and action = 'task.completed'`,
      ),
    ).toBe(1);
    expect(await t.engine.getTask(triage.id)).toBeNull();
  });

  it('the engine killed after our transaction: one audit entry and one operator request after the retry', async () => {
    const { number, caseId } = await register();
    // Work the case up to the request to the distribution operator, whatever the verification asks on the way.
    let task = await nextTask(number);
    for (let step = 0; task.form !== 'operatorRequest'; step++) {
      expect(step, `stuck at form ${task.form}`).toBeLessThan(8);
      const payload =
        task.form === 'triage'
          ? { outcome: 'admissible' }
          : task.form === 'verification'
            ? {
                findings: 'Clientul contestă indexul; este necesară verificarea metrologică.',
                needsOperator: true,
                ...(task.branches.length
                  ? {
                      branch: task.branches.includes('verificare_contor')
                        ? 'verificare_contor'
                        : task.branches[0],
                    }
                  : {}),
              }
            : task.form === 'findings'
              ? { findings: 'Constatări intermediare.' }
              : { comment: 'Am verificat datele clientului.' };
      const done = await complete(task.id, payload);
      expect(done.statusCode, done.body).toBe(200);
      task = await nextTask(number);
    }
    const payload = {
      questions: 'Vă rugăm verificarea metrologică a contorului și indexurile din ultimele 6 luni.',
    };
    const audits = sql`select count(*)::int as n from audit_log
      where entity_id = ${caseId} and action = 'task.completed' and details->>'taskId' = ${task.id}`;
    const requests = sql`select count(*)::int as n from operator_requests where case_id = ${caseId}`;

    next = 'killBefore';
    const r = await complete(task.id, payload);
    expect(r.statusCode, r.body).toBe(503);
    expect(r.json<{ code: string; message: string }>()).toMatchObject({ code: 'TASK_COMPLETION_DEFERRED' });
    expect(await count(audits)).toBe(1);
    expect(await count(requests)).toBe(1);
    // The officer submits again while the engine is still down: recorded once, still deferred.
    const twice = await complete(task.id, payload);
    expect(twice.statusCode, twice.body).toBe(503);
    expect(await count(audits)).toBe(1);
    expect(await count(requests)).toBe(1);

    await engine.start();
    await waitFor(
      async () =>
        (await count(
          sql`select count(*)::int as n from task_completions where task_id = ${task.id} and status = 'applied'`,
        )) === 1,
      120_000,
    );
    expect(await t.engine.getTask(task.id)).toBeNull();
    // The request reached the operator's sub-process (the worker sends it), once.
    const retry = await complete(task.id, payload);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(await count(audits)).toBe(1);
    expect(await count(requests)).toBe(1);
  });

  it('an engine refusal changes nothing (case, history, audit, intent)', async () => {
    const { number, caseId } = await register();
    const triage = await nextTask(number);
    // The instance is cancelled after our checks, while our transaction is open: the engine refuses.
    next = 'cancelBefore';
    const r = await complete(triage.id, {
      outcome: 'admissible',
      category: 'facturare',
      comment: 'Factură.',
    });
    expect(r.statusCode, r.body).toBe(404);
    expect(
      await count(sql`select count(*)::int as n from task_completions where task_id = ${triage.id}`),
    ).toBe(0);
    expect(
      await count(
        sql`select count(*)::int as n from audit_log where entity_id = ${caseId} and action = 'task.completed'`,
      ),
    ).toBe(0);
    const [c] = await t.db.execute<{ category: string; status: string }>(
      sql`select category, status from cases where id = ${caseId}`,
    );
    expect(c).toMatchObject({ category: 'grup_masurare', status: 'registered' });
    expect(
      await count(
        sql`select count(*)::int as n from case_events where case_id = ${caseId} and type = 'reclassified'`,
      ),
    ).toBe(0);
  });
});
