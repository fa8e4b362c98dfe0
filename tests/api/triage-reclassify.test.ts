import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, cases } from '../../server/db/schema/index.ts';
import { dueDate as legalDueDate, endOfBusinessDay } from '../../server/deadlines/calendar.ts';
import { processInboundMail } from '../../server/intake/mail/process-message.ts';
import { createCase, type CaseInput } from '../factories/index.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import { messageId, OUR_SENDER, rfc822 } from '../intake/intake-helpers.ts';

type Headers = { authorization: string };
const TRIAGE = 'Clasificarea și admisibilitatea reclamației';

/**
 * IL-06 through the real engine: the triage officer corrects the category, the customer type and the energy; the
 * due date is recomputed from the registration date under the new category's rule, the routing follows the new
 * category, and the history says who changed what and why. Also the new triage outcomes, the case API's contract
 * fields, an authority's referral (a source, not a category) and the refusal of a GDPR request as a complaint.
 */
describe('triage reclassifies the case', () => {
  let t: TestContext;
  let agent: Headers;
  let officer: Headers;
  let customer: { id: string; places: Array<{ id: string }> };

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    agent = await t.login('agent@demo.local');
    officer = await t.login('officer@demo.local');
    customer = (
      await t.app.inject({ method: 'GET', url: '/api/customers?q=RO005E512345678', headers: agent })
    ).json<{ items: Array<{ id: string; places: Array<{ id: string }> }> }>().items[0]!;
  });
  afterAll(async () => t?.close());

  /** A billing complaint of Maria Ionescu's, registered by the call center; `fields` change what it says. */
  const register = (fields: CaseInput = {}) =>
    createCase(t, {
      as: agent,
      subject: 'Factura din noiembrie',
      body: 'Tensiunea scade seara și aparatele se opresc; factura e și ea mare.',
      ...fields,
    });

  async function claimedTask(number: string, name: string) {
    const task = await waitFor(async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/tasks?scope=groups&pageSize=100',
        headers: officer,
      });
      return res
        .json<{ items: Array<{ id: string; name: string; case: { number: string } | null }> }>()
        .items.find((x) => x.case?.number === number && x.name === name);
    });
    const claim = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/claim`,
      headers: officer,
    });
    expect(claim.statusCode, claim.body).toBe(200);
    return task.id;
  }

  const complete = (taskId: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/tasks/${taskId}/complete`, headers: officer, payload });

  const detail = async (number: string) => {
    const r = await t.app.inject({ method: 'GET', url: `/api/complaints/${number}`, headers: officer });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{
      category: string;
      source: string;
      customerType: string | null;
      energy: string | null;
      dueDate: string;
      status: string;
      kind: string;
      filedReason: string | null;
      authority: { name: string | null; reference: string | null; dueDate: string | null } | null;
      deadlineRule: { days: number; unit: string };
      events: Array<{ type: string; visibility: string; message: string; actorName: string | null }>;
    }>();
  };

  async function variable(number: string, name: string) {
    const [main] = await t.engine.findProcessInstances({ businessKey: number, tenantId: t.demoTenantId });
    const res = await fetch(`${t.engineRest.url}/process-instance/${main!.id}/variables/${name}`, {
      headers: { authorization: t.engineRest.authorization },
    });
    return ((await res.json()) as { value: unknown }).value;
  }

  it('a billing complaint triaged as quality of supply changes category, due date, routing and history', async () => {
    const reg = await register();
    const before = await detail(reg.number);
    expect(before).toMatchObject({
      category: 'facturare',
      source: 'consumer',
      customerType: 'household',
      energy: 'electricity',
      status: 'registered',
      kind: 'complaint',
      dueDate: reg.dueDate,
    });
    // 15 working days under the billing rule.
    expect(reg.dueDate).toBe(legalDueDate(reg.registeredOn, { days: 15, unit: 'working' }));
    const taskId = await claimedTask(reg.number, TRIAGE);

    // A change without a reason is refused, in Romanian, and changes nothing.
    const unexplained = await complete(taskId, { outcome: 'admissible', category: 'calitate_energie' });
    expect(unexplained.statusCode).toBe(400);
    expect(unexplained.json<{ message: string }>().message).toMatch(/Motivați reîncadrarea/);
    const wrong = await complete(taskId, { outcome: 'admissible', category: 'sesizare_autoritate' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json<{ message: string }>().message).toContain('categoria');
    expect((await detail(reg.number)).category).toBe('facturare');

    const r = await complete(taskId, {
      outcome: 'admissible',
      category: 'calitate_energie',
      customerType: 'non_household',
      energy: 'electricity',
      comment: 'Clientul reclamă scăderi de tensiune, nu valoarea facturii.',
    });
    expect(r.statusCode, r.body).toBe(200);

    const after = await detail(reg.number);
    const expectedDue = legalDueDate(reg.registeredOn, { days: 30, unit: 'calendar' });
    expect(after).toMatchObject({
      category: 'calitate_energie',
      customerType: 'non_household',
      energy: 'electricity',
      dueDate: expectedDue,
      deadlineRule: { days: 30, unit: 'calendar' },
    });
    expect(expectedDue).not.toBe(reg.dueDate);
    const history = after.events.find((e) => e.type === 'reclassified');
    expect(history?.visibility).toBe('internal');
    expect(history?.message).toContain('Facturarea → Calitatea energiei furnizate');
    expect(history?.message).toContain('Client casnic → Client noncasnic');
    expect(history?.message).toContain('Motiv: Clientul reclamă scăderi de tensiune');
    expect(after.events.some((e) => e.type === 'due_date_recomputed' && e.visibility === 'public')).toBe(
      true,
    );

    const [row] = await t.db.select().from(cases).where(eq(cases.number, reg.number));
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, row!.id), eq(auditLog.action, 'case.reclassified')));
    expect(audits).toHaveLength(1);
    const officerId = (
      await t.db.execute<{ id: string }>(sql`select id from users where email = 'officer@demo.local'`)
    )[0]!.id;
    expect(audits[0]!.actorId).toBe(officerId);
    // Who made each change is in the history the staff read (old → new, who, why): the officer reclassified, the
    // call-center agent registered.
    const nameOf = async (email: string) =>
      (await t.db.execute<{ name: string }>(sql`select name from users where email = ${email}`))[0]!.name;
    expect(history?.actorName).toBe(await nameOf('officer@demo.local'));
    expect(after.events.find((e) => e.type === 'registered')?.actorName).toBe(
      await nameOf('agent@demo.local'),
    );
    expect(audits[0]!.details).toMatchObject({
      changes: expect.arrayContaining([
        { field: 'category', from: 'facturare', to: 'calitate_energie' },
        { field: 'dueDate', from: reg.dueDate, to: expectedDue },
      ]),
      reason: 'Clientul reclamă scăderi de tensiune, nu valoarea facturii.',
    });

    // The process reads the new category and clock: the DMN routes to the supply verification.
    expect(await variable(reg.number, 'category')).toBe('calitate_energie');
    expect(Date.parse(String(await variable(reg.number, 'dueAt')))).toBe(
      Date.parse(endOfBusinessDay(expectedDue)),
    );
    await waitFor(async () => {
      const all = await t.engine.findProcessInstances({ businessKey: reg.number, tenantId: t.demoTenantId });
      const keys = await Promise.all(
        all.map(async (i) => {
          const res = await fetch(`${t.engineRest.url}/process-definition/${i.definitionId}`, {
            headers: { authorization: t.engineRest.authorization },
          });
          return ((await res.json()) as { key: string }).key;
        }),
      );
      return keys.includes('verify-supply') && !keys.includes('verify-billing');
    });
    // The legal clock's timers (event sub-processes started with the case) moved to the new due date: none waits
    // for the old one, and the breach timer waits for the new one.
    const instances = await t.engine.findProcessInstances({
      businessKey: reg.number,
      tenantId: t.demoTenantId,
    });
    const timers: number[] = [];
    for (const i of instances) {
      const res = await fetch(`${t.engineRest.url}/job?timers=true&processInstanceId=${i.id}`, {
        headers: { authorization: t.engineRest.authorization },
      });
      for (const j of (await res.json()) as Array<{ dueDate: string }>)
        timers.push(Date.parse(j.dueDate.replace(/(\d\d)(\d\d)$/, '$1:$2')));
    }
    expect(timers).not.toContain(Date.parse(endOfBusinessDay(reg.dueDate)));
    expect(timers).toContain(Date.parse(endOfBusinessDay(expectedDue)));
    // The next open task of the case is due on the new date in the task API (taken from the case when read). The
    // inbox list's copy can still show the old date for a moment after a reclassification (a known race of the
    // read model, written in the closing note), so it is not asserted here.
    const supervisor = await t.login('supervisor@demo.local');
    const next = await waitFor(async () => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/tasks?view=all&q=${reg.number}&pageSize=100`,
        headers: supervisor,
      });
      return res
        .json<{ items: Array<{ id: string; taskDefinitionKey: string; case: { number: string } | null }> }>()
        .items.find((x) => x.case?.number === reg.number && x.taskDefinitionKey === 'checkSupply');
    });
    const one = await t.app.inject({ method: 'GET', url: `/api/tasks/${next.id}`, headers: supervisor });
    expect(one.statusCode, one.body).toBe(200);
    expect(Date.parse(one.json<{ due: string }>().due)).toBe(Date.parse(endOfBusinessDay(expectedDue)));
  });

  it('a double submit completes once: one audit entry, one history line', async () => {
    const reg = await register();
    const taskId = await claimedTask(reg.number, TRIAGE);
    const payload = {
      outcome: 'admissible',
      category: 'grup_masurare',
      comment: 'Clientul contestă indexul contorului.',
    };
    const [a, b] = await Promise.all([complete(taskId, payload), complete(taskId, payload)]);
    expect([a.statusCode, b.statusCode], `${a.body} ${b.body}`).toEqual([200, 200]);
    const again = await complete(taskId, payload);
    expect(again.statusCode, again.body).toBe(200);
    const [row] = await t.db.select().from(cases).where(eq(cases.number, reg.number));
    const completed = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity_id = ${row!.id} and action = 'task.completed'`,
    );
    expect(completed[0]!.n).toBe(1);
    const lines = (await detail(reg.number)).events.filter((e) => e.type === 'reclassified');
    expect(lines).toHaveLength(1);
  });

  it('not_a_complaint files the case out of the complaint statistics; withdrawn is an outcome too', async () => {
    const reg = await register({
      subject: 'Transmitere index',
      body: 'Vă transmit indexul 12345 pentru luna aceasta.',
    });
    const taskId = await claimedTask(reg.number, TRIAGE);
    const noReason = await complete(taskId, { outcome: 'not_a_complaint' });
    expect(noReason.statusCode).toBe(400);
    const r = await complete(taskId, {
      outcome: 'not_a_complaint',
      comment: 'Transmitere de index, nu o nemulțumire.',
    });
    expect(r.statusCode, r.body).toBe(200);
    const after = await detail(reg.number);
    expect(after).toMatchObject({ kind: 'not_a_complaint', filedReason: 'not_a_complaint' });
    expect(await variable(reg.number, 'triage')).toBe('not_a_complaint');
    // The engine left triage (Engineer A's model routes the outcome to filing).
    const open = await t.app.inject({
      method: 'GET',
      url: '/api/tasks?scope=groups&pageSize=100',
      headers: officer,
    });
    expect(
      open
        .json<{ items: Array<{ name: string; case: { number: string } | null }> }>()
        .items.some((x) => x.case?.number === reg.number && x.name === TRIAGE),
    ).toBe(false);

    const w = await register();
    const wTask = await claimedTask(w.number, TRIAGE);
    const wr = await complete(wTask, {
      outcome: 'withdrawn',
      comment: 'Clientul a retras reclamația telefonic.',
    });
    expect(wr.statusCode, wr.body).toBe(200);
    expect(await detail(w.number)).toMatchObject({ filedReason: 'withdrawn', kind: 'complaint' });
  });

  it("an authority's referral is a source with its reference; its earlier deadline is the case's", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const soon = legalDueDate(today, { days: 5, unit: 'working' });
    const reg = await register({
      source: 'authority',
      authorityName: 'ANRE',
      authorityReference: 'ANRE-2026-777',
      authorityDueDate: soon,
    });
    expect(reg.dueDate).toBe(soon);
    expect(await detail(reg.number)).toMatchObject({
      category: 'facturare',
      source: 'authority',
      authority: { name: 'ANRE', reference: 'ANRE-2026-777', dueDate: soon },
      dueDate: soon,
    });
    const noName = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers: agent,
      payload: {
        customerId: customer.id,
        category: 'facturare',
        subject: 'Sesizare',
        body: 'Sesizare transmisă de autoritate.',
        source: 'authority',
      },
    });
    expect(noName.statusCode).toBe(422);
    expect(noName.json<{ code: string }>().code).toBe('AUTHORITY_REQUIRED');
  });

  it("an e-mail from an authority's domain registers a case whose source is the authority", async () => {
    const tenant = { id: t.demoTenantId, code: 'DEMO', intakeEmail: 'demo@reclamatii.local' };
    const deps = { db: t.db, engine: t.engine, secret: 's', log: silentLog, ownAddresses: [OUR_SENDER] };
    const out = await processInboundMail(deps, tenant, {
      raw: Buffer.from(
        rfc822(
          {
            From: 'Petiții <petitii@anre.ro>',
            Subject: 'Sesizare factură RO005E512345678',
            'Message-ID': messageId(),
          },
          'Vă transmitem spre soluționare sesizarea clientului privind factura pentru RO005E512345678.',
        ),
      ),
      arrivedAt: new Date(),
    });
    expect(out.status).toBe('registered');
    const number = (out as { number: string }).number;
    const registered = await detail(number);
    expect(registered).toMatchObject({
      source: 'authority',
      authority: { name: 'ANRE', reference: null, dueDate: null },
      category: 'facturare',
    });
    // At triage the officer adds the authority's number and its deadline, earlier than the legal one: it applies.
    const [row] = await t.db.select().from(cases).where(eq(cases.number, number));
    const soon = legalDueDate(row!.registeredOn, { days: 5, unit: 'working' });
    // The registry checks what came by e-mail first (IL-01); the POD in the text identified the customer.
    const registry = await t.login('registry@demo.local');
    const check = await waitFor(async () =>
      (await t.app.inject({ method: 'GET', url: '/api/tasks?scope=groups&pageSize=100', headers: registry }))
        .json<{ items: Array<{ id: string; case: { number: string } | null }> }>()
        .items.find((x) => x.case?.number === number),
    );
    await t.app.inject({ method: 'POST', url: `/api/tasks/${check.id}/claim`, headers: registry });
    const checked = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${check.id}/complete`,
      headers: registry,
      payload: { comment: 'Sesizare ANRE, client identificat după POD.' },
    });
    expect(checked.statusCode, checked.body).toBe(200);
    const taskId = await claimedTask(number, TRIAGE);
    const r = await complete(taskId, {
      outcome: 'admissible',
      authorityReference: 'ANRE-98765',
      authorityDueDate: soon,
      comment: 'ANRE cere punctul de vedere în 5 zile lucrătoare.',
    });
    expect(r.statusCode, r.body).toBe(200);
    const after = await detail(number);
    expect(after).toMatchObject({
      authority: { name: 'ANRE', reference: 'ANRE-98765', dueDate: soon },
      dueDate: soon,
    });
    expect(after.events.find((e) => e.type === 'reclassified')?.message).toContain(
      'numărul autorității: — → ANRE-98765',
    );
    expect(Date.parse(String(await variable(number, 'dueAt')))).toBe(Date.parse(endOfBusinessDay(soon)));
  });

  it('refuses a GDPR request or an authority code as a complaint category, saying what to do', async () => {
    for (const [category, code] of [
      ['cerere_gdpr', 'GDPR_REQUEST_NOT_A_COMPLAINT'],
      ['sesizare_autoritate', 'CATEGORY_IS_A_SOURCE'],
    ] as const) {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/complaints',
        headers: agent,
        payload: {
          customerId: customer.id,
          category,
          subject: 'Cerere',
          body: 'Vreau să știu ce date aveți despre mine.',
        },
      });
      expect(r.statusCode).toBe(422);
      expect(r.json<{ code: string; message: string }>()).toMatchObject({ code });
      expect(r.json<{ message: string }>().message).toMatch(/ă|ș|ț|î/);
    }
  });
});
