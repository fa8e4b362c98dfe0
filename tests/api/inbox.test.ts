import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { ComplaintCategory } from '../../server/db/schema/index.ts';
import { startTaskEventConsumer } from '../../server/task-read-model/task-event-consumer.ts';
import { createCase, createCustomer, createTenant, createUser, demoCustomer } from '../factories/index.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

type H = { authorization: string };
interface Item {
  id: string;
  name: string;
  assignee: string | null;
  assigneeName: string | null;
  assignedToMe: boolean;
  due: string | null;
  deadline: string | null;
  case: {
    number: string;
    category: string;
    channel: string;
    contactName: string;
    placeCode: string | null;
  } | null;
}
interface List {
  items: Item[];
  nextCursor: string | null;
  counts: { mine?: number; groups?: number; all?: number };
}

/**
 * The officer inbox on the task read model: tasks the real engine creates reach the `tasks` table through the
 * consumer of the engine's task events; views, filters, counts, keyset pages, claim/unclaim/delegate, saved
 * filters, comments, timeline, tenant isolation.
 */
describe('GET /api/tasks (inbox read model)', () => {
  let t: TestContext;
  let officer: H;
  let colleague: H;
  let supervisor: H;
  let agent: H;
  let acme: H;
  let colleagueId: string;
  const numbers: string[] = [];

  async function inbox(h: H, query: string): Promise<List> {
    const res = await t.app.inject({ method: 'GET', url: `/api/tasks?${query}`, headers: h });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<List>();
  }

  async function register(customerQuery: string, category: ComplaintCategory, subject: string) {
    const reg = await createCase(t, {
      as: agent,
      customer: await demoCustomer(t, customerQuery),
      category,
      subject,
      body: `${subject}: vă rog să verificați situația descrisă, cu mulțumiri.`,
    });
    return reg.number;
  }

  /**
   * A tenant of its own for a test that changes tasks for good (delegates, completes, recategorises), so that the
   * three DEMO complaints the other tests count stay as they were: an officer, a colleague of the same role, a
   * customer on file and one complaint per category, each waiting for classification in the inbox.
   */
  async function ownTenant(categories: ComplaintCategory[]) {
    const tenant = await createTenant(t);
    // Like the demo's officer: classification (RSP) and the billing and metering checks (SF, SM).
    const officerUser = await createUser(t, { tenantId: tenant.id, jobRoles: ['RSP', 'SF', 'SM'] });
    const colleagueUser = await createUser(t, { tenantId: tenant.id, name: 'Ioana Coleg' });
    const customer = await createCustomer(t, { tenantId: tenant.id });
    const own: string[] = [];
    for (const category of categories)
      own.push(
        (
          await createCase(t, {
            tenantId: tenant.id,
            customer,
            category,
            subject: `Reclamație (${category})`,
            body: 'Vă rog să verificați situația descrisă, cu mulțumiri.',
          })
        ).number,
      );
    const headers = await officerUser.login();
    await waitFor(
      async () => (await inbox(headers, 'view=groups&limit=100')).items.length >= own.length,
      60_000,
    );
    return {
      tenant,
      officer: headers,
      colleague: await colleagueUser.login(),
      colleagueId: colleagueUser.id,
      numbers: own,
    };
  }

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    colleagueId = (await createUser(t, { email: 'coleg.rsp@demo.local', name: 'Ioana Coleg' })).id;
    [officer, colleague, supervisor, agent] = await Promise.all([
      t.login('officer@demo.local'),
      t.login('coleg.rsp@demo.local'),
      t.login('supervisor@demo.local'),
      t.login('agent@demo.local'),
    ]);
    const acmeEmail = (
      (await t.db.execute(
        sql`select email from users where tenant_id = ${t.acmeTenantId} and email like 'officer-%'`,
      )) as unknown as Array<{ email: string }>
    )[0]!.email;
    acme = await t.login(acmeEmail);

    numbers.push(await register('RO005E512345678', 'facturare', 'Factură prea mare în octombrie'));
    numbers.push(await register('RO005E512345678', 'grup_masurare', 'Contor defect, afișaj stins'));
    numbers.push(
      await register('RO005E512345678', 'continuitate_alimentare', 'Întreruperi repetate la Țăndărei'),
    );
    // The engine creates the classification task (RSP) after the acknowledgement worker; the consumer brings it.
    await waitFor(async () => (await inbox(officer, 'view=groups&limit=100')).items.length >= 3, 30_000);
  });
  afterAll(async () => t?.close());

  it('brings tasks the engine created into the groups view, joined with their case', async () => {
    const list = await inbox(officer, 'view=groups&limit=100');
    const ours = list.items.filter((i) => numbers.includes(i.case?.number ?? ''));
    expect(ours).toHaveLength(3);
    for (const i of ours) {
      expect(i.name).toBe('Clasificarea și admisibilitatea reclamației');
      expect(i.case?.contactName).toBe('Maria Ionescu');
      expect(i.case?.placeCode).toBe('RO005E512345678');
      expect(i.case?.channel).toBe('call_center');
      expect(i.deadline).toBe('on_time');
      expect(i.due).not.toBeNull();
    }
    expect(list.counts.groups).toBe(3);
    expect(list.counts.mine).toBe(0);
    expect(list.counts.all).toBeUndefined();
    // The engine agrees on the ids: the read model holds exactly the open tasks of these instances.
    const engineTasks = await t.engine.queryTasks(
      { tenantIdIn: [t.demoTenantId], candidateGroups: ['RSP'] },
      { firstResult: 0, maxResults: 50 },
    );
    expect(new Set(ours.map((i) => i.id))).toEqual(new Set(engineTasks.map((e) => e.id)));
    // The page showed customers' names: the view is in the audit log, by case number only.
    const [audit] = (await t.db.execute(
      sql`select details from audit_log where action = 'inbox.viewed' and tenant_id = ${t.demoTenantId}
          order by id desc limit 1`,
    )) as unknown as Array<{ details: { view: string; cases: string[] } }>;
    expect(audit!.details.view).toBe('groups');
    expect([...audit!.details.cases].sort()).toEqual([...numbers].sort());
    expect(JSON.stringify(audit!.details)).not.toContain('Ionescu');
  });

  it('filters by category, channel, place, text (diacritics ignored), due and holder', async () => {
    const billing = await inbox(officer, 'view=groups&category=facturare');
    expect(billing.items.map((i) => i.case?.number)).toEqual([numbers[0]]);
    expect(billing.counts.groups).toBe(1);
    expect((await inbox(officer, 'view=groups&channel=email')).items).toHaveLength(0);
    expect((await inbox(officer, 'view=groups&place=RO005E5')).items).toHaveLength(3);
    expect((await inbox(officer, 'view=groups&place=RO999')).items).toHaveLength(0);
    const text = await inbox(officer, `view=groups&q=${encodeURIComponent('tandarei')}`);
    expect(text.items.map((i) => i.case?.number)).toEqual([numbers[2]]);
    const byNumber = await inbox(officer, `view=groups&q=${numbers[1]}`);
    expect(byNumber.items.map((i) => i.case?.number)).toEqual([numbers[1]]);
    expect((await inbox(officer, 'view=groups&due=overdue')).items).toHaveLength(0);
    expect((await inbox(officer, 'view=groups&holder=unassigned')).items).toHaveLength(3);
    expect((await inbox(officer, 'view=groups&holder=assigned')).items).toHaveLength(0);
  });

  it('pages with a keyset cursor in due-date order, without repeats', async () => {
    const seen: Item[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 5; n++) {
      const page: List = await inbox(
        officer,
        `view=groups&limit=1${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.items);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map((i) => i.id)).size).toBe(3);
    const dues = seen.map((i) => i.due ?? '');
    expect([...dues].sort()).toEqual(dues);
    const bad = await t.app.inject({ method: 'GET', url: '/api/tasks?after=xyz', headers: officer });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toBe(
      'Poziția din listă nu este validă; reîncepeți de la prima pagină.',
    );
  });

  it('refuses the all view to an officer and gives it to a supervisor', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/tasks?view=all', headers: officer });
    expect(res.statusCode).toBe(403);
    const all = await inbox(supervisor, 'view=all&limit=100');
    expect(all.items.filter((i) => numbers.includes(i.case?.number ?? ''))).toHaveLength(3);
    expect(all.counts.all).toBeGreaterThanOrEqual(3);
  });

  it('claim shows the task in my view at once; unclaim gives it back', async () => {
    const [first] = (await inbox(officer, 'view=groups&category=facturare')).items;
    const claim = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${first!.id}/claim`,
      headers: officer,
    });
    expect(claim.statusCode).toBe(200);
    // No waiting: the read model was updated by the claim itself.
    const mine = await inbox(officer, 'view=mine');
    expect(mine.items.map((i) => i.id)).toEqual([first!.id]);
    expect(mine.items[0]!.assignedToMe).toBe(true);
    expect(mine.counts.mine).toBe(1);
    const other = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${first!.id}/claim`,
      headers: colleague,
    });
    expect(other.statusCode).toBe(409);
    expect(other.json<{ message: string }>().message).toBe('Sarcina a fost deja preluată de altcineva.');

    const unclaim = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${first!.id}/unclaim`,
      headers: officer,
    });
    expect(unclaim.statusCode).toBe(200);
    expect((await inbox(officer, 'view=mine')).items).toHaveLength(0);
    // The engine's events agree once the consumer has caught up.
    await t.taskEvents!.flush();
    expect((await inbox(officer, 'view=groups&holder=unassigned')).items).toHaveLength(3);
  });

  it('delegates only to a colleague holding one of the task roles', async () => {
    const { tenant, officer, colleague, colleagueId } = await ownTenant(['grup_masurare']);
    const [task] = (await inbox(officer, 'view=groups&category=grup_masurare')).items;
    await t.app.inject({ method: 'POST', url: `/api/tasks/${task!.id}/claim`, headers: officer });
    const delegates = await t.app.inject({
      method: 'GET',
      url: `/api/tasks/${task!.id}/delegates`,
      headers: officer,
    });
    expect(delegates.statusCode).toBe(200);
    expect(delegates.json<Array<{ id: string; name: string }>>().map((d) => d.name)).toContain('Ioana Coleg');

    const agentId = (await createUser(t, { tenantId: tenant.id, roles: ['agent'], jobRoles: [] })).id;
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task!.id}/delegate`,
      headers: officer,
      payload: { userId: agentId },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ message: string }>().message).toBe(
      'Sarcina poate fi delegată doar unui coleg care deține unul dintre rolurile ei.',
    );

    const res = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task!.id}/delegate`,
      headers: officer,
      payload: { userId: colleagueId },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ assigneeName: string }>().assigneeName).toBe('Ioana Coleg');
    expect((await inbox(colleague, 'view=mine')).items.map((i) => i.id)).toEqual([task!.id]);
    expect((await t.engine.getTask(task!.id))?.assignee).toBe(colleagueId);
    const audit = (await t.db.execute(
      sql`select details from audit_log where action = 'task.delegated' and tenant_id = ${tenant.id}`,
    )) as unknown as Array<{ details: { to: string } }>;
    expect(audit.map((a) => a.details.to)).toEqual([colleagueId]);
    // Once the engine's assignment event is applied, the row still says the colleague.
    await t.taskEvents!.flush();
    expect((await inbox(colleague, 'view=mine')).items.map((i) => i.assigneeName)).toEqual(['Ioana Coleg']);
  });

  it("keeps another tenant's tasks out of every view and action", async () => {
    const demoTask = (await inbox(officer, 'view=groups')).items[0]!;
    for (const view of ['groups', 'all', 'mine']) {
      const list = await inbox(acme, `view=${view}&limit=100`);
      expect(list.items.filter((i) => numbers.includes(i.case?.number ?? ''))).toHaveLength(0);
      expect(list.items.map((i) => i.id)).not.toContain(demoTask.id);
    }
    for (const [method, url, payload] of [
      ['GET', `/api/tasks/${demoTask.id}`, undefined],
      ['POST', `/api/tasks/${demoTask.id}/claim`, undefined],
      ['GET', `/api/tasks/${demoTask.id}/comments`, undefined],
      ['POST', `/api/tasks/${demoTask.id}/comments`, { body: 'nu ar trebui să meargă' }],
      ['GET', `/api/tasks/${demoTask.id}/timeline`, undefined],
      ['POST', `/api/tasks/${demoTask.id}/delegate`, { userId: colleagueId }],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: acme, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
  });

  it('saves, lists and deletes filters per user', async () => {
    const save = await t.app.inject({
      method: 'POST',
      url: '/api/tasks/saved-filters',
      headers: officer,
      payload: { name: 'Facturare restantă', filters: { category: 'facturare', due: 'overdue' } },
    });
    expect(save.statusCode, save.body).toBe(201);
    const { id } = save.json<{ id: string }>();
    const mine = await t.app.inject({ method: 'GET', url: '/api/tasks/saved-filters', headers: officer });
    expect(mine.json<unknown[]>()).toEqual([
      { id, name: 'Facturare restantă', filters: { category: 'facturare', due: 'overdue' } },
    ]);
    const theirs = await t.app.inject({ method: 'GET', url: '/api/tasks/saved-filters', headers: colleague });
    expect(theirs.json<unknown[]>()).toEqual([]);
    const notTheirs = await t.app.inject({
      method: 'DELETE',
      url: `/api/tasks/saved-filters/${id}`,
      headers: colleague,
    });
    expect(notTheirs.statusCode).toBe(404);
    expect(notTheirs.json<{ message: string }>().message).toBe('Filtrul salvat nu există.');
    const badName = await t.app.inject({
      method: 'POST',
      url: '/api/tasks/saved-filters',
      headers: officer,
      payload: { name: ' x ', filters: { q: 'abc' } },
    });
    expect(badName.statusCode).toBe(400);
    expect(badName.json<{ message: string }>().message).toBe(
      'Dați filtrului un nume de cel puțin 2 caractere.',
    );
    // Keys other than the inbox's filters are dropped, never stored.
    const stray = await t.app.inject({
      method: 'POST',
      url: '/api/tasks/saved-filters',
      headers: officer,
      payload: { name: 'Doar text', filters: { q: 'contor', tenantId: 'altul' } },
    });
    expect(stray.statusCode).toBe(201);
    expect(stray.json<{ filters: Record<string, string> }>().filters).toEqual({ q: 'contor' });
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/tasks/saved-filters/${id}`,
      headers: officer,
    });
    expect(del.statusCode).toBe(204);
  });

  it('adds comments (audited) and shows the timeline', async () => {
    const [task] = (await inbox(officer, 'view=groups&category=continuitate_alimentare')).items;
    const empty = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task!.id}/comments`,
      headers: officer,
      payload: { body: ' ' },
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ message: string }>().message).toBe('Scrieți comentariul (cel puțin 2 caractere).');
    const add = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task!.id}/comments`,
      headers: officer,
      payload: { body: 'Am sunat la OD, revin mâine.' },
    });
    expect(add.statusCode, add.body).toBe(201);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/tasks/${task!.id}/comments`,
      headers: colleague,
    });
    expect(list.json<Array<{ body: string; authorName: string }>>()).toMatchObject([
      { body: 'Am sunat la OD, revin mâine.', authorName: expect.any(String) },
    ]);
    const timeline = await t.app.inject({
      method: 'GET',
      url: `/api/tasks/${task!.id}/timeline`,
      headers: officer,
    });
    expect(timeline.statusCode).toBe(200);
    const texts = timeline
      .json<Array<{ source: string; text: string }>>()
      .map((e) => `${e.source}:${e.text}`);
    expect(texts).toContain('task:Sarcină creată: Clasificarea și admisibilitatea reclamației');
    expect(texts).toContain('audit:Comentariu adăugat');
    expect(texts.some((x) => x.startsWith('engine:'))).toBe(true);

    // Reads are audited one by one but shown as one line per run, with their count.
    for (let i = 0; i < 3; i++)
      await t.app.inject({ method: 'GET', url: `/api/tasks/${task!.id}/timeline`, headers: officer });
    const again = (
      await t.app.inject({ method: 'GET', url: `/api/tasks/${task!.id}/timeline`, headers: officer })
    ).json<Array<{ source: string; text: string }>>();
    const last = again[again.length - 1]!;
    expect(last.text).toMatch(/^Dosar consultat de personal \((\d+) consultări\)$/);
    expect(Number(/\((\d+)/.exec(last.text)![1])).toBeGreaterThanOrEqual(4);
    const reads = again.filter((e) => /consultat/i.test(e.text));
    for (let i = 1; i < again.length; i++)
      expect(/consultat/i.test(again[i]!.text) && /consultat/i.test(again[i - 1]!.text)).toBe(false);
    expect(reads.length).toBeGreaterThan(0);
  });

  it('a completed task leaves the views at once', async () => {
    const { officer, numbers } = await ownTenant(['facturare']);
    const [task] = (await inbox(officer, 'view=groups&category=facturare')).items;
    await t.app.inject({ method: 'POST', url: `/api/tasks/${task!.id}/claim`, headers: officer });
    const done = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task!.id}/complete`,
      headers: officer,
      payload: { outcome: 'admissible' },
    });
    expect(done.statusCode, done.body).toBe(200);
    const after = await inbox(officer, 'view=groups&limit=100');
    expect(after.items.map((i) => i.id)).not.toContain(task!.id);
    expect((await inbox(officer, 'view=mine')).items.map((i) => i.id)).not.toContain(task!.id);
    // The process moves on: the next task of the case arrives through the consumer.
    const next = await waitFor(
      async () => (await inbox(officer, `view=groups&q=${numbers[0]}`)).items[0],
      30_000,
    );
    expect(next.id).not.toBe(task!.id);
  });

  it('follows case changes (trigger) and replays events idempotently, also with two consumers', async () => {
    const { officer, numbers } = await ownTenant(['continuitate_alimentare']);
    await t.db.execute(sql`update cases set category = 'calitate_energie' where number = ${numbers[0]}`);
    expect(
      (await inbox(officer, 'view=groups&category=calitate_energie')).items.map((i) => i.case?.number),
    ).toEqual([numbers[0]]);
    const before = (await t.db.execute(
      sql`select id, assignee, state, last_event_id from tasks order by id`,
    )) as unknown as unknown[];
    // Replay from the beginning with a second replica running at the same time.
    await t.db.execute(sql`update task_event_cursor set last_event_id = 0`);
    const second = startTaskEventConsumer(t.db, inject('engineDatabaseUrl'), silentLog, { pollMs: 200 });
    await Promise.all([second.flush(), t.taskEvents!.flush()]);
    await second.flush();
    await second.stop();
    const after = (await t.db.execute(
      sql`select id, assignee, state, last_event_id from tasks order by id`,
    )) as unknown as Array<{ id: string }>;
    const known = new Set((before as Array<{ id: string }>).map((r) => r.id));
    expect(after.filter((r) => known.has(r.id))).toEqual(before);
    const [cursor] = (await t.db.execute(
      sql`select last_event_id from task_event_cursor`,
    )) as unknown as Array<{
      last_event_id: string;
    }>;
    expect(Number(cursor!.last_event_id)).toBeGreaterThan(0);
  });
});
