import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  startTaskEventConsumer,
  type TaskEventConsumer,
} from '../../server/task-read-model/task-event-consumer.ts';
import { applyTaskEvents, readCursor } from '../../server/task-read-model/task-events.repo.ts';
import { checkInboxReadModel, rebuildInbox } from '../../server/task-read-model/rebuild.ts';
import { rebuildInboxCli } from '../../scripts/rebuild-inbox.ts';
import { createCase, createCustomer, createTenant, createUser } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

type H = { authorization: string };
interface Item {
  id: string;
  assignee: string | null;
  case: { number: string } | null;
}
interface List {
  items: Item[];
  counts: { mine?: number; groups?: number };
}

/**
 * The inbox read model repaired from the engine (issue 14 item 8): events the consumer never saw (dropped from the
 * engine's outbox while it was stopped) and a row deleted behind its back leave the inbox wrong; the rebuild makes
 * it answer as the engine says again, changes nothing on a second run, never overwrites a row a newer event wrote,
 * and the check at start finds a tenant whose open-task count differs and rebuilds it.
 */
describe('inbox read model rebuild (npm run rebuild:inbox)', () => {
  let t: TestContext;
  let consumer: TaskEventConsumer;
  let engineSql: ReturnType<typeof postgres>;

  async function inbox(h: H, query: string): Promise<List> {
    const res = await t.app.inject({ method: 'GET', url: `/api/tasks?${query}`, headers: h });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<List>();
  }

  const row = async (id: string) =>
    (
      (await t.db.execute(
        sql`select assignee, state, last_event_id from tasks where id = ${id}`,
      )) as unknown as Array<{ assignee: string | null; state: string; last_event_id: string }>
    )[0];

  /**
   * A tenant of its own (the rebuild and the check work per tenant) with an officer and three complaints of a customer on file, each
   * with its open classification task (RSP) as the consumer brought it into the inbox.
   */
  async function scenario() {
    const tenant = await createTenant(t);
    const officer = await createUser(t, { tenantId: tenant.id });
    const headers = await officer.login();
    // A customer on file, so that each complaint goes straight to classification.
    const customer = await createCustomer(t, { tenantId: tenant.id });
    const numbers: string[] = [];
    for (const subject of ['Factură dublă în martie', 'Index estimat greșit', 'Penalități nedatorate'])
      numbers.push(
        (
          await createCase(t, {
            tenantId: tenant.id,
            customer,
            subject,
            body: `${subject}: vă rog să verificați situația descrisă, cu mulțumiri.`,
          })
        ).number,
      );
    const items = await waitFor(async () => {
      const list = await inbox(headers, 'view=groups&limit=100');
      return numbers.every((n) => list.items.some((i) => i.case?.number === n)) ? list.items : null;
    }, 60_000);
    /** The open classification task of each complaint, by case number. */
    const tasks = new Map(numbers.map((n) => [n, items.find((i) => i.case?.number === n)!.id]));
    // The consumer's committed cursor is past these tasks' events (another test file's open transaction in the
    // shared engine may hold it back a while): a consumer started again does not replay them.
    const newest = Math.max(
      ...(await Promise.all([...tasks.values()].map(async (id) => Number((await row(id))!.last_event_id)))),
    );
    await waitFor(async () => {
      await consumer.flush();
      return (await readCursor(t.db)) >= newest;
    }, 60_000);
    return { tenant, officer: headers, officerId: officer.id, numbers, tasks };
  }

  /** The officer holds the task in the engine, and the inbox knows it. */
  async function claimed(s: Awaited<ReturnType<typeof scenario>>, id: string) {
    await t.engine.claim(id, s.officerId);
    await waitFor(async () => {
      await consumer.flush();
      return (await row(id))?.assignee === s.officerId;
    });
  }

  beforeAll(async () => {
    t = await createTestContext({ workers: true, taskEvents: false });
    consumer = startTaskEventConsumer(t.db, inject('engineDatabaseUrl'), {
      info() {},
      warn() {},
      error() {},
    });
    await consumer.ready;
    engineSql = postgres(inject('engineDatabaseUrl'), { max: 2, onnotice: () => {} });
  }, 300_000);
  afterAll(async () => {
    await consumer?.stop();
    await engineSql?.end();
    await t?.close();
  });

  it('repairs missed events and a deleted row; a second run changes nothing', async () => {
    const { tenant, officer, officerId, numbers, tasks } = await scenario();
    const [held, ended, removed] = numbers.map((n) => tasks.get(n)!);
    await consumer.stop();
    const cursor = await readCursor(t.db);

    // Behind the consumer's back: the engine moves on and those events are lost from its outbox...
    await t.engine.claim(held!, officerId);
    const [instance] = await t.engine.findProcessInstances({
      businessKey: numbers[1]!,
      tenantId: tenant.id,
    });
    await t.engine.deleteProcessInstance(instance!.id, 'test: a missed delete event');
    const dropped = await engineSql`delete from task_event_outbox
      where task_id in ${engineSql([held!, ended!])} and id > ${cursor} returning id`;
    expect(dropped.length).toBeGreaterThanOrEqual(2);
    // ...and a row of the read model disappears.
    await t.db.execute(sql`delete from tasks where id = ${removed}`);

    // A consumer started again cannot know: the inbox stays wrong.
    consumer = startTaskEventConsumer(t.db, inject('engineDatabaseUrl'), {
      info() {},
      warn() {},
      error() {},
    });
    await consumer.ready;
    await consumer.flush();
    const before = await inbox(officer, 'view=groups&limit=100');
    expect(before.items.find((i) => i.id === held)?.assignee).toBeNull();
    expect(before.items.some((i) => i.id === ended)).toBe(true);
    expect(before.items.some((i) => i.id === removed)).toBe(false);
    expect((await inbox(officer, 'view=mine')).items).toHaveLength(0);

    const report = await rebuildInbox(t.db, t.engine, { tenantIds: [tenant.id], batchSize: 2 });
    expect(report).toEqual({ tenants: 1, engineOpen: 2, repaired: 2, closed: 1 });

    // The inbox answers as the engine does again.
    const mine = await inbox(officer, 'view=mine');
    expect(mine.items.map((i) => i.id)).toEqual([held]);
    expect(mine.items[0]!.case?.number).toBe(numbers[0]);
    const groups = await inbox(officer, 'view=groups&limit=100');
    expect(groups.items.some((i) => i.id === ended)).toBe(false);
    const back = groups.items.find((i) => i.id === removed);
    expect(back?.case?.number).toBe(numbers[2]);
    expect(back?.assignee).toBeNull();
    // Deleted with its instance, not completed (the supervisor's counts tell the two apart).
    expect((await row(ended!))?.state).toBe('deleted');

    expect(await rebuildInbox(t.db, t.engine, { tenantIds: [tenant.id] })).toEqual({
      tenants: 1,
      engineOpen: 2,
      repaired: 0,
      closed: 0,
    });
  });

  it('leaves a row a newer event wrote alone', async () => {
    const { tenant, numbers, tasks } = await scenario();
    const id = tasks.get(numbers[2]!)!;
    const upTo = await readCursor(t.db);
    const r = (await row(id))!;
    // An event past the rebuild's cursor (the consumer got it while the rebuild read the engine).
    await applyTaskEvents(t.db, [
      {
        id: upTo + 1_000_000_000,
        eventType: 'assignment',
        taskId: id,
        tenantId: tenant.id,
        processInstanceId: 'newer',
        businessKey: numbers[2]!,
        taskDefinitionKey: 'classify',
        name: 'Newer event',
        assignee: 'newer-holder',
        candidateGroups: 'RSP',
        dueDate: null,
        createdAt: new Date(),
      },
    ]);
    expect(Number((await row(id))!.last_event_id)).toBeGreaterThan(Number(r.last_event_id));
    const report = await rebuildInbox(t.db, t.engine, { tenantIds: [tenant.id] });
    expect(report.repaired).toBe(0);
    expect((await row(id))?.assignee).toBe('newer-holder');
  });

  it('the check at start rebuilds a tenant whose open-task count differs, with one log line', async () => {
    const s = await scenario();
    const id = s.tasks.get(s.numbers[0]!)!;
    await claimed(s, id);
    await t.db.execute(sql`delete from tasks where id = ${id}`);
    const lines: Array<{ obj: object; msg: string }> = [];
    const log = { info: (obj: object, msg: string) => lines.push({ obj, msg }) };
    const rebuilt = await checkInboxReadModel(t.db, t.engine, log, {
      tenantIds: [s.tenant.id, t.acmeTenantId],
      caughtUp: () => consumer.flush(),
    });
    expect(rebuilt).toEqual([s.tenant.id]);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.obj).toMatchObject({
      tenantId: s.tenant.id,
      inEngine: 3,
      inReadModel: 2,
      repaired: 1,
    });
    expect((await row(id))?.state).toBe('open');
    expect((await inbox(s.officer, 'view=mine')).items.map((i) => i.id)).toEqual([id]);

    // Counts equal: nothing rebuilt, nothing logged.
    expect(await checkInboxReadModel(t.db, t.engine, log, { tenantIds: [s.tenant.id] })).toEqual([]);
    expect(lines).toHaveLength(1);
  });

  it('npm run rebuild:inbox -- --tenant <code> repairs through the configured services and says what it did', async () => {
    const s = await scenario();
    const id = s.tasks.get(s.numbers[0]!)!;
    await claimed(s, id);
    // The row as a rebuild wrote it (a row the consumer wrote may be past the committed cursor while another
    // test file's transaction holds it back, and the rebuild leaves such rows alone), then made wrong.
    await t.db.execute(sql`delete from tasks where id = ${id}`);
    expect((await rebuildInbox(t.db, t.engine, { tenantIds: [s.tenant.id] })).repaired).toBe(1);
    await t.db.execute(sql`update tasks set assignee = null where id = ${id}`);
    const env = {
      DATABASE_URL: t.databaseUrl,
      ENGINE_URL: t.engineRest.url,
      ENGINE_USER: inject('engineUser'),
      ENGINE_PASSWORD: inject('enginePassword'),
      SMTP_URL: inject('smtpUrl'),
      APP_SECRET: inject('appSecret'),
      DATA_DIR: inject('testDataDir'),
    };
    const out = await rebuildInboxCli(['--tenant', s.tenant.code.toLowerCase()], env);
    expect(out).toMatch(
      /^Inbox read model rebuilt for 1 tenant in [\d.]+ s: 3 open tasks in the engine, 1 row repaired, 0 closed\.$/,
    );
    expect((await row(id))?.assignee).toBe(s.officerId);
    await expect(rebuildInboxCli(['--tenant', 'NOPE'], env)).rejects.toThrow(
      'There is no tenant with the code NOPE.',
    );
  });
});
