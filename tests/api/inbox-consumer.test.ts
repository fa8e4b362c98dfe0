import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import {
  startTaskEventConsumer,
  type TaskEventConsumer,
} from '../../server/task-read-model/task-event-consumer.ts';
import { createCase } from '../factories/index.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * The read model's consumer against the real engine, with its safety poll switched off: only LISTEN/NOTIFY can
 * bring the engine's task events, so these tests fail if notifications do not arrive. Also: an event whose engine
 * transaction commits after a later one (a hole in the ids) is still applied.
 */
describe('task event consumer (LISTEN task_events on the engine database)', () => {
  let t: TestContext;
  let consumer: TaskEventConsumer;
  let engineSql: ReturnType<typeof postgres>;

  const row = async (id: string) =>
    (
      (await t.db.execute(
        sql`select id, assignee, state, case_number, customer_name from tasks where id = ${id}`,
      )) as unknown as Array<{
        id: string;
        assignee: string | null;
        state: string;
        case_number: string | null;
        customer_name: string | null;
      }>
    )[0];

  beforeAll(async () => {
    t = await createTestContext({ workers: true, taskEvents: false });
    consumer = startTaskEventConsumer(t.db, inject('engineDatabaseUrl'), silentLog, { pollMs: 600_000 });
    await consumer.ready;
    await consumer.flush();
    engineSql = postgres(inject('engineDatabaseUrl'), { max: 2, onnotice: () => {} });
  });
  afterAll(async () => {
    await consumer?.stop();
    await engineSql?.end();
    await t?.close();
  });

  it('a task the engine creates is in the read model within a second or so, by notification', async () => {
    const agent = await t.login('agent@demo.local');
    const { number } = await createCase(t, {
      as: agent,
      subject: 'Factură dublă',
      body: 'Am primit aceeași factură de două ori în aceeași lună, vă rog verificați.',
    });

    // The engine's own view, polled tightly, gives the moment the task exists there.
    const task = await waitFor(
      async () =>
        (
          await t.engine.queryTasks(
            { tenantIdIn: [t.demoTenantId], candidateGroups: ['RSP'] },
            { firstResult: 0, maxResults: 5 },
          )
        )[0],
      { timeoutMs: 30_000, stepMs: 20 },
    );
    const seenInEngine = Date.now();
    const inModel = await waitFor(() => row(task.id), { timeoutMs: 5_000, stepMs: 20 });
    const lagMs = Date.now() - seenInEngine;
    console.log(`read model lag after the engine showed the task: ${lagMs} ms`);
    expect(inModel.case_number).toBe(number);
    expect(inModel.customer_name).toBe('Maria Ionescu');
    expect(inModel.state).toBe('open');
    expect(lagMs).toBeLessThan(2_000);

    // A claim made in the engine directly (not through our API) reaches the read model by its event.
    const officerId = (
      (await t.db.execute(sql`select id from users where email = 'officer@demo.local'`)) as unknown as Array<{
        id: string;
      }>
    )[0]!.id;
    await t.engine.claim(task.id, officerId);
    await waitFor(async () => (await row(task.id))?.assignee === officerId, { timeoutMs: 5_000, stepMs: 20 });
    await t.engine.unclaim(task.id);
    await waitFor(async () => (await row(task.id))?.assignee === null, { timeoutMs: 5_000, stepMs: 20 });
  });

  it('applies an event whose transaction commits after a later one (a hole in the ids)', async () => {
    const insert = (tx: postgres.TransactionSql | typeof engineSql, taskId: string) =>
      tx`insert into task_event_outbox (event_type, task_id, tenant_id, process_instance_id, task_definition_key,
           name, candidate_groups, due_date)
         values ('create', ${taskId}, ${t.demoTenantId}, 'pi-gap', 'gapTask', 'Sarcină de test', 'RSP', now())
         returning id`;
    let releaseSlow!: () => void;
    const slowHeld = new Promise<void>((r) => (releaseSlow = r));
    let slowId = 0;
    const slow = engineSql.begin(async (tx) => {
      const [r] = await insert(tx, 'gap-slow');
      slowId = Number(r!.id);
      await slowHeld;
      await tx`notify task_events`;
    });
    await waitFor(async () => slowId > 0, { timeoutMs: 5_000, stepMs: 10 });
    const [fast] = await insert(engineSql, 'gap-fast');
    await engineSql`notify task_events`;
    expect(Number(fast!.id)).toBeGreaterThan(slowId);

    await waitFor(() => row('gap-fast'), { timeoutMs: 5_000, stepMs: 20 });
    expect(await row('gap-slow')).toBeUndefined();
    const [cursor] = (await t.db.execute(
      sql`select last_event_id from task_event_cursor`,
    )) as unknown as Array<{
      last_event_id: string;
    }>;
    // The cursor waits below the hole.
    expect(Number(cursor!.last_event_id)).toBeLessThan(slowId);

    releaseSlow();
    await slow;
    await waitFor(() => row('gap-slow'), { timeoutMs: 5_000, stepMs: 20 });
    // The cursor passes the closed hole; other test files write to the same engine outbox at the same time, and a
    // hole of theirs (a transaction still open) may hold it a while longer: wait for it, do not sample once.
    const after = await waitFor(
      async () => {
        await consumer.flush();
        const [c] = (await t.db.execute(
          sql`select last_event_id from task_event_cursor`,
        )) as unknown as Array<{
          last_event_id: string;
        }>;
        return Number(c!.last_event_id) >= Number(fast!.id) ? Number(c!.last_event_id) : null;
      },
      { timeoutMs: 40_000, stepMs: 200 },
    );
    expect(after).toBeGreaterThanOrEqual(Number(fast!.id));
  });
});
