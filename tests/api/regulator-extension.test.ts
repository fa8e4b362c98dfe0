import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../server/db/schema/index.ts';
import { businessClock, dueDate as legalDueDate } from '../../server/deadlines/calendar.ts';
import { createCase, demoCustomer, type FactoryCustomer } from '../factories/index.ts';
import type { ComplaintCategory } from '../../server/codes/case-codes.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import { completeTask, claimTask, taskFor as findTask, type Headers } from '../helpers/tasks.ts';

const DAY = 24 * 3600 * 1000;

interface Regulator {
  registeredOn: string;
  channel: string;
  source: string;
  dueDate: string;
  answerCommunicatedAt: string | null;
  answerCommunicatedBy: string | null;
  answeredInTime: boolean | null;
  delayDays: number | null;
  compensation: {
    owedLei: number | null;
    determinedAt: string | null;
    final: boolean;
    paidLei: number | null;
    paidOn: string | null;
    paymentMethod: string | null;
    notifiedAt: string | null;
  };
}

/**
 * Issue 12, the last legal pieces: the regulator-ready data of a case answered late (through the engine, the mail
 * server and finance), the extension proposed by the officer holding the case with a new date checked on the
 * server, the postal delivery allowance as a tenant setting, and the due date of a complaint with several categories.
 */
describe('regulator data, extension from the case, postal allowance, several categories', () => {
  let t: TestContext;
  let officer: Headers;
  let officer2: Headers;
  let supervisor: Headers;
  let finance: Headers;
  let admin: Headers;

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    [officer, officer2, supervisor, finance, admin] = await Promise.all([
      t.login('officer@demo.local'),
      t.login('officer2@demo.local'),
      t.login('supervisor@demo.local'),
      t.login('finance@demo.local'),
      t.login('admin@demo.local'),
    ]);
  });
  afterAll(async () => t?.close());

  // Tasks reached after several workers' steps: up to a minute on a loaded machine.
  const taskFor = (headers: Headers, number: string, name: string) =>
    findTask(t, headers, number, name, 60_000);
  const claim = (headers: Headers, number: string, name: string) =>
    claimTask(t, headers, number, name, 60_000);
  const complete = (headers: Headers, number: string, name: string, payload: Record<string, unknown>) =>
    completeTask(t, headers, number, name, payload, 60_000);

  /** A complaint of Maria Ionescu's (or of `customer`), by phone, no place named. */
  function register(o: {
    category: ComplaintCategory;
    receivedAt?: Date;
    email?: string;
    customer?: FactoryCustomer;
  }) {
    return createCase(t, {
      category: o.category,
      subject: 'Reclamație de test',
      body: 'Factura din octombrie este mult prea mare față de consumul real, vă rog verificați.',
      ...(o.customer ? { customer: o.customer } : {}),
      place: null,
      contactEmail: o.email,
      receivedAt: o.receivedAt,
    });
  }

  const caseRow = async (number: string) =>
    (
      await t.db
        .select()
        .from(cases)
        .where(and(eq(cases.tenantId, t.demoTenantId), eq(cases.number, number)))
    )[0]!;

  const detail = async (number: string) => {
    const r = await t.app.inject({ method: 'GET', url: `/api/complaints/${number}`, headers: officer });
    expect(r.statusCode, r.body).toBe(200);
    return r.json<{ regulator: Regulator; additionalCategories: string[]; dueDate: string }>();
  };

  it('a case answered late: communication date, not in time, compensation owed, determined and paid', async () => {
    const email = `late-${Date.now()}@example.test`;
    const reg = await register({ category: 'facturare', email, receivedAt: new Date(Date.now() - 60 * DAY) });
    const open = await detail(reg.number);
    expect(open.regulator).toMatchObject({
      registeredOn: reg.registeredOn,
      channel: 'call_center',
      source: 'consumer',
      dueDate: reg.dueDate,
      answerCommunicatedAt: null,
      answeredInTime: false, // the due day has passed without an answer
    });
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'admissible',
    });
    await complete(officer, reg.number, 'Verificarea facturii contestate', {
      findings: 'Factura este corectă, prețul corespunde ofertei.',
      branch: 'pret',
    });
    await complete(officer, reg.number, 'Analiza reclamației și nota de constatare', {
      findings: 'Factura este corectă; clientul a consumat mai mult în octombrie.',
    });
    await complete(officer, reg.number, 'Redactarea răspunsului către client', {
      answerText: 'Factura este corectă. Vă cerem scuze pentru întârzierea răspunsului.',
    });
    await complete(supervisor, reg.number, 'Aprobarea răspunsului', { approved: true });
    const late = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.answerCommunicatedAt && c.delayDays !== null && c.delayDays > 1 ? c : null;
    }, 60_000);
    const answered = (await detail(reg.number)).regulator;
    expect(answered.answerCommunicatedAt).toBe(late.answerCommunicatedAt!.toISOString());
    expect(answered.answerCommunicatedBy).toBe('email');
    expect(answered.answeredInTime).toBe(false);
    expect(answered.delayDays).toBe(late.delayDays);
    expect(answered.compensation).toMatchObject({
      owedLei: 100 + 50 * (late.delayDays! - 1),
      determinedAt: late.answerCommunicatedAt!.toISOString(),
      final: true,
      paidLei: null,
      paidOn: null,
      paymentMethod: null,
    });
    const paidOn = businessClock(new Date()).date;
    await complete(finance, reg.number, 'Acordarea compensației pentru depășirea termenului', {
      paymentMethod: 'bank_transfer',
      paidOn,
      amountLei: answered.compensation.owedLei,
    });
    await waitFor(async () => ((await caseRow(reg.number)).compensationNotifiedAt ? true : null), 60_000);
    const paid = (await detail(reg.number)).regulator.compensation;
    expect(paid).toMatchObject({
      paidLei: answered.compensation.owedLei,
      paidOn,
      paymentMethod: 'bank_transfer',
    });
    expect(paid.notifiedAt).not.toBeNull();
  });

  it('an answer in time says so, with no compensation', async () => {
    const reg = await register({ category: 'calitate_energie', email: `ok-${Date.now()}@example.test` });
    expect((await detail(reg.number)).regulator.answeredInTime).toBeNull();
    await t.db
      .update(cases)
      .set({ answerCommunicatedAt: new Date(), answerCommunicatedBy: 'portal' })
      .where(eq(cases.number, reg.number));
    const r = (await detail(reg.number)).regulator;
    expect(r).toMatchObject({ answeredInTime: true, answerCommunicatedBy: 'portal' });
    expect(r.compensation).toMatchObject({ owedLei: null, determinedAt: null, final: false });
  });

  it('the extension is proposed by the officer holding the case, with a new date checked on the server', async () => {
    const email = `ext-${Date.now()}@example.test`;
    const reg = await register({ category: 'calitate_energie', email });
    const url = '/api/deadlines/extension-requests';
    const reason = 'Măsurătorile OD privind tensiunea nu sunt încă disponibile.';
    // Not holding any task of the case: refused, whatever the date.
    const notHolder = await t.app.inject({
      method: 'POST',
      url,
      headers: officer2,
      payload: { caseNumber: reg.number, reason, days: 5 },
    });
    expect(notHolder.statusCode).toBe(403);
    expect(notHolder.json()).toMatchObject({ code: 'EXTENSION_NOT_CASE_HOLDER' });
    const before = (
      await t.app.inject({
        method: 'GET',
        url: `/api/deadlines/extension-options/${reg.number}`,
        headers: officer,
      })
    ).json<{ canPropose: boolean; blockedReason: string | null }>();
    expect(before.canPropose).toBe(false);
    expect(before.blockedReason).toContain('ofițerul care are în lucru');

    await claim(officer, reg.number, 'Clasificarea și admisibilitatea reclamației');
    const options = (
      await t.app.inject({
        method: 'GET',
        url: `/api/deadlines/extension-options/${reg.number}`,
        headers: officer,
      })
    ).json<{ canPropose: boolean; maxDays: number; latestDueDate: string; dueDate: string }>();
    expect(options).toMatchObject({ canPropose: true, maxDays: 30, dueDate: reg.dueDate });
    expect(options.latestDueDate).toBe(legalDueDate(reg.dueDate, { days: 30, unit: 'calendar' }));

    const tooLate = await t.app.inject({
      method: 'POST',
      url,
      headers: officer,
      payload: {
        caseNumber: reg.number,
        reason,
        newDueDate: legalDueDate(options.latestDueDate, { days: 3, unit: 'working' }),
      },
    });
    expect(tooLate.statusCode).toBe(400);
    expect(tooLate.json()).toMatchObject({ code: 'EXTENSION_DATE_INVALID' });
    expect(tooLate.json<{ message: string }>().message).toContain('cel mult');
    const notAfter = await t.app.inject({
      method: 'POST',
      url,
      headers: officer,
      payload: { caseNumber: reg.number, reason, newDueDate: reg.dueDate },
    });
    expect(notAfter.statusCode).toBe(400);
    expect(notAfter.json<{ message: string }>().message).toContain('după termenul actual');
    const tooManyDays = await t.app.inject({
      method: 'POST',
      url,
      headers: officer,
      payload: { caseNumber: reg.number, reason, days: 31 },
    });
    expect(tooManyDays.statusCode).toBe(400);

    const wanted = legalDueDate(reg.dueDate, { days: 10, unit: 'working' });
    const asked = await t.app.inject({
      method: 'POST',
      url,
      headers: officer,
      payload: { caseNumber: reg.number, reason, newDueDate: wanted },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json()).toMatchObject({ requested: true, newDueDate: wanted });
    // SEF sees the proposal waiting, with its approval task; the officer sees that it waits.
    const pending = await waitFor(async () => {
      const o = (
        await t.app.inject({
          method: 'GET',
          url: `/api/deadlines/extension-options/${reg.number}`,
          headers: supervisor,
        })
      ).json<{ pendingApproval: { taskId: string | null } | null }>();
      return o.pendingApproval?.taskId ? o.pendingApproval : null;
    });
    expect(pending.taskId).toMatch(/\S/);
    await complete(supervisor, reg.number, 'Aprobarea prelungirii termenului', { approved: true });
    const extended = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.extendedAt ? c : null;
    }, 60_000);
    expect(extended.dueDate).toBe(wanted);
    expect(extended.originalDueDate).toBe(reg.dueDate);
  });

  it('the postal delivery allowance is a tenant setting the admin changes; an extension by post follows it', async () => {
    const get = await t.app.inject({ method: 'GET', url: '/api/tenant-settings', headers: admin });
    expect(get.json()).toMatchObject({ postalDeliveryWorkingDays: 3 });
    const byOfficer = await t.app.inject({
      method: 'PATCH',
      url: '/api/tenant-settings',
      headers: officer,
      payload: { postalDeliveryWorkingDays: 5 },
    });
    expect(byOfficer.statusCode).toBe(403);
    const zero = await t.app.inject({
      method: 'PATCH',
      url: '/api/tenant-settings',
      headers: admin,
      payload: { postalDeliveryWorkingDays: 0 },
    });
    expect(zero.statusCode).toBe(400);
    const set = await t.app.inject({
      method: 'PATCH',
      url: '/api/tenant-settings',
      headers: admin,
      payload: { postalDeliveryWorkingDays: 15 },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ postalDeliveryWorkingDays: 15 });
    try {
      // No e-mail: the notice goes by post. Due in about 7 working days: a 3-day allowance would let it through,
      // the tenant's 15 days do not.
      const reg = await register({
        category: 'calitate_energie',
        customer: await demoCustomer(t, '2000456789'),
        receivedAt: new Date(Date.now() - 20 * DAY),
      });
      expect((await caseRow(reg.number)).contactEmail).toBeNull();
      await claim(officer, reg.number, 'Clasificarea și admisibilitatea reclamației');
      const asked = await t.app.inject({
        method: 'POST',
        url: '/api/deadlines/extension-requests',
        headers: officer,
        payload: { caseNumber: reg.number, reason: 'Datele de la OD întârzie, cerem prelungirea.', days: 10 },
      });
      expect(asked.statusCode, asked.body).toBe(200);
      await complete(supervisor, reg.number, 'Aprobarea prelungirii termenului', { approved: true });
      const refused = await waitFor(async () => {
        const [e] = await t.db.execute<{ message: string }>(
          sql`select e.message from case_events e join cases c on c.id = e.case_id
              where c.number = ${reg.number} and e.type = 'extension_refused'`,
        );
        return e ?? null;
      }, 60_000);
      expect(refused.message).toContain('prin poștă');
      expect((await caseRow(reg.number)).extendedAt).toBeNull();
    } finally {
      await t.app.inject({
        method: 'PATCH',
        url: '/api/tenant-settings',
        headers: admin,
        payload: { postalDeliveryWorkingDays: 3 },
      });
    }
  });

  it('a complaint with several categories is due on the earliest of their due dates', async () => {
    const reg = await register({ category: 'calitate_energie', email: `multi-${Date.now()}@example.test` });
    const billing = legalDueDate(reg.registeredOn, { days: 15, unit: 'working' });
    expect(billing < reg.dueDate).toBe(true);
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'admissible',
      additionalCategories: ['facturare'],
      comment: 'Clientul reclamă și factura, nu doar tensiunea.',
    });
    const d = await detail(reg.number);
    expect(d.additionalCategories).toEqual(['facturare']);
    expect(d.dueDate).toBe(billing);
    const c = await caseRow(reg.number);
    expect(c.category).toBe('calitate_energie');
    expect(c.deadlineRule).toMatchObject({ days: 15, unit: 'working' });
    // Both verifications run, and the case's clock waits for the new due date.
    await taskFor(officer, reg.number, 'Verificarea facturii contestate');
    const [instance] = await t.engine.findProcessInstances({
      businessKey: reg.number,
      tenantId: t.demoTenantId,
    });
    const due = await waitFor(async () => {
      const res = await fetch(`${t.engineRest.url}/process-instance/${instance!.id}/variables/dueDate`, {
        headers: { authorization: t.engineRest.authorization },
      });
      const v = res.ok ? ((await res.json()) as { value: string }).value : null;
      return v === billing ? v : null;
    });
    expect(due).toBe(billing);
  });
});
