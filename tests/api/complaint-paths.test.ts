import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, tenants } from '../../server/db/schema/index.ts';
import { createCase } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import { readMailbox } from '../helpers/mailbox.ts';
import { completeTask, taskFor as findTask, type Headers } from '../helpers/tasks.ts';

/**
 * The paths of the full process besides the straight one (complaint-flow.test.ts): the request to the
 * distribution operator with the extension of the deadline, the breach of the deadline with escalation and
 * compensation, and the filing of a duplicate. Real engine, workers and mail server.
 */
/**
 * The operator's address is this file's own: the mail server is shared by every test file, and each file's
 * database numbers its cases from 1, so another file's request could carry the same reference.
 */
const OPERATOR = `od-paths-${randomBytes(4).toString('hex')}@distributie.local`;

describe('complaint process paths', () => {
  let t: TestContext;
  let officer: Headers;
  let supervisor: Headers;

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    await t.db.update(tenants).set({ operatorEmail: OPERATOR }).where(eq(tenants.id, t.demoTenantId));
    officer = await t.login('officer@demo.local');
    supervisor = await t.login('supervisor@demo.local');
  });
  afterAll(async () => t?.close());

  const taskFor = (headers: Headers, number: string, name: string) => findTask(t, headers, number, name);
  const complete = (headers: Headers, number: string, name: string, payload: Record<string, unknown>) =>
    completeTask(t, headers, number, name, payload);

  /** A complaint of Maria Ionescu's by phone (no place named), answered to `email`. */
  const register = (category: 'grup_masurare' | 'facturare', email: string, receivedAt?: Date) =>
    createCase(t, {
      category,
      subject: 'Reclamație de test',
      body: 'Contorul înregistrează un consum mult mai mare decât cel real, vă rog verificați.',
      place: null,
      contactEmail: email,
      receivedAt,
    });

  const caseRow = async (number: string) =>
    (
      await t.db
        .select()
        .from(cases)
        .where(and(eq(cases.tenantId, t.demoTenantId), eq(cases.number, number)))
    )[0]!;

  it('asks the operator by e-mail, extends the deadline with notice when it is late, resumes on its answer', async () => {
    const email = `od-path-${Date.now()}@example.test`;
    const reg = await register('grup_masurare', email);
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'admissible',
    });
    await complete(officer, reg.number, 'Solicitarea verificării contorului și recalcularea consumului', {
      findings: 'Clientul contestă indexul; este necesară verificarea metrologică.',
      branch: 'verificare_contor',
    });
    await complete(officer, reg.number, 'Solicitarea către OD a datelor de măsurare / recitirii', {
      questions: 'Vă rugăm verificarea metrologică a contorului și indexurile citite în ultimele 6 luni.',
    });
    // The request reaches the operator's address with our reference.
    const reference = `${reg.number}/OD1`;
    const sent = await waitFor(async () =>
      (await readMailbox(OPERATOR)).find((m) => m.subject?.includes(reference)),
    );
    expect(sent.text).toContain('verificarea metrologică');

    // The operator does not answer in time: its timer fires (executed now), the officer extends (IL-32).
    const jobs = await waitFor(async () => {
      const instances = await t.engine.findProcessInstances({
        businessKey: reg.number,
        tenantId: t.demoTenantId,
      });
      const res = await fetch(`${t.engineRest.url}/job?timers=true&tenantIdIn=${t.demoTenantId}`, {
        headers: { authorization: t.engineRest.authorization },
      });
      const all = (await res.json()) as Array<{
        id: string;
        processInstanceId: string;
        processDefinitionKey: string;
      }>;
      const ids = new Set(instances.map((i) => i.id));
      const found = all.filter(
        (j) => j.processDefinitionKey === 'operator-request' && ids.has(j.processInstanceId),
      );
      return found.length ? found : null;
    });
    const exec = await fetch(`${t.engineRest.url}/job/${jobs[0]!.id}/execute`, {
      method: 'POST',
      headers: { authorization: t.engineRest.authorization },
    });
    expect(exec.status).toBe(204);
    const before = await caseRow(reg.number);
    // The officer proposes (IL-32), the supervisor approves, then the notice goes out before the due date.
    await complete(officer, reg.number, 'Propunerea de prelungire a termenului', {
      comment: 'OD nu a transmis buletinul metrologic; prelungim cu înștiințarea clientului.',
    });
    await complete(supervisor, reg.number, 'Aprobarea prelungirii termenului', { approved: true });
    const extended = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.extendedAt ? c : null;
    });
    expect(extended.originalDueDate).toBe(before.dueDate);
    expect(extended.dueDate > before.dueDate).toBe(true);
    const notice = await waitFor(async () =>
      (await readMailbox(email)).find((m) => m.subject?.includes('prelungirea termenului')),
    );
    expect(notice.text).toContain(extended.dueDate.split('-').reverse().join('.'));
    expect(notice.text).toContain('buletinul metrologic');

    // The operator answers; the answer is matched by our reference and the case resumes with its review (IL-09).
    const answer = await t.app.inject({
      method: 'POST',
      url: `/api/operator-requests/${reg.number}/OD1/answer`,
      headers: officer,
      payload: { answerText: 'Contorul a fost verificat: eroare +12%, se înlocuiește.' },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ correlated: true });
    await complete(officer, reg.number, 'Analiza răspunsului OD și informarea clientului', {
      findings: 'Buletinul metrologic confirmă eroarea; se recalculează consumul.',
      needsCorrection: false,
    });
    await taskFor(officer, reg.number, 'Analiza reclamației și nota de constatare');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/operator-requests/${reg.number}/OD1/answer`,
      headers: officer,
      payload: { answerText: 'din nou' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('after the due date: escalates to SEF, records the breach and the compensation owed', async () => {
    // Received 60 days ago: 15 working days have long passed, so every deadline timer is already due.
    const receivedAt = new Date(Date.now() - 60 * 24 * 3600 * 1000);
    const lateEmail = `late-${Date.now()}@example.test`;
    const reg = await register('facturare', lateEmail, receivedAt);
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'admissible',
    });
    await taskFor(supervisor, reg.number, 'Repartizarea dosarului și escaladarea internă');
    const breached = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.breachedAt ? c : null;
    });
    expect(breached.breachedAt).not.toBeNull();
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
    // The answer counts from when it was communicated (SMTP accepted it); the delay is in working days, as the
    // billing deadline (15 working days) is.
    const withDelay = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.answerCommunicatedAt && c.delayDays !== null && c.delayDays > 1 ? c : null;
    });
    expect(withDelay.answerCommunicatedBy).toBe('email');
    expect(withDelay.delayDays).toBeLessThan(45);
    expect(withDelay.compensationLei).toBe(100 + 50 * (withDelay.delayDays! - 1));
    // Finance grants it (IL-29) and records the payment; the consumer is told the amount and the method.
    const finance = await t.login('finance@demo.local');
    const bad = await taskFor(finance, reg.number, 'Acordarea compensației pentru depășirea termenului');
    await t.app.inject({ method: 'POST', url: `/api/tasks/${bad.id}/claim`, headers: finance });
    const refused = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${bad.id}/complete`,
      headers: finance,
      payload: { paymentMethod: 'cash', paidOn: '2026-12-02', amountLei: 100 },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ message: string }>().message).toContain('modul de acordare');
    const paidOn = new Date().toISOString().slice(0, 10);
    await complete(finance, reg.number, 'Acordarea compensației pentru depășirea termenului', {
      paymentMethod: 'invoice_credit',
      paidOn,
      amountLei: withDelay.compensationLei,
    });
    const paid = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.compensationNotifiedAt ? c : null;
    });
    expect(paid.compensationPaidLei).toBe(withDelay.compensationLei);
    expect(paid.compensationPaymentMethod).toBe('invoice_credit');
    expect(paid.compensationPaidOn).toBe(paidOn);
    const notice = await waitFor(async () =>
      (await readMailbox(lateEmail)).find((m) => m.subject?.includes('compensație')),
    );
    expect(notice.text).toContain(`${withDelay.compensationLei} lei`);
    expect(notice.text).toContain('Ordinul ANRE nr. 83/2021');
    // The case history (what staff read) names the method in Romanian and the date as written in Romania, never
    // the codes.
    const history = (
      await t.app.inject({
        method: 'GET',
        url: `/api/complaints/${reg.number}`,
        headers: await t.login('supervisor@demo.local'),
      })
    ).json<{ events: Array<{ message: string }> }>().events;
    const grant = history.find((e) => e.message.includes('Compensație acordată'));
    expect(grant?.message).toBe(
      `Acordarea compensației pentru depășirea termenului: Compensație acordată: ${withDelay.compensationLei} lei (compensare în factura următoare), la ${paidOn.split('-').reverse().join('.')}.`,
    );
    const told = history.find((e) => e.message.startsWith('Compensația de'));
    expect(told?.message).toContain('(compensare în factura următoare)');
    expect(history.map((e) => e.message).join('\n')).not.toMatch(/invoice_credit|bank_transfer|postal_order/);
    const closed = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.status === 'closed' ? c : null;
    });
    expect(closed.closedAt).not.toBeNull();
    // The case ended: the open escalation task ended with it (the close worker reports to the engine just after
    // it closed the case record, so wait for the instance to end).
    await waitFor(async () =>
      (await t.engine.findProcessInstances({ businessKey: reg.number, tenantId: t.demoTenantId })).length ===
      0
        ? true
        : null,
    );
  });

  it('files a duplicate (IL-08) and tells the consumer', async () => {
    const email = `dup-${Date.now()}@example.test`;
    const reg = await register('facturare', email);
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'duplicate',
      comment: 'Același conținut ca reclamația anterioară a clientului.',
    });
    await complete(officer, reg.number, 'Propunerea de clasare sau redirecționare a dosarului', {
      comment: 'Conexată la dosarul anterior.',
    });
    // No filing without the supervisor's approval (IL-08).
    expect((await caseRow(reg.number)).status).not.toBe('filed');
    await complete(supervisor, reg.number, 'Aprobarea clasării sau redirecționării', { approved: true });
    const filed = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.status === 'filed' ? c : null;
    });
    expect(filed.filedReason).toBe('duplicate');
    const mail = await waitFor(async () =>
      (await readMailbox(email)).find((m) => m.subject?.includes('clasare')),
    );
    expect(mail.text).toContain('același conținut');
  });
});
