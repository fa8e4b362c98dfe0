import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseDocuments, caseEvents, cases, customers, tenants } from '../../server/db/schema/index.ts';
import { businessClock, endOfBusinessDay, nextWorkingDay } from '../../server/deadlines/calendar.ts';
import { delayDays } from '../../server/deadlines/compensation.ts';
import { createCase, demoCustomer } from '../factories/index.ts';
import { processInboundMail } from '../../server/intake/mail/process-message.ts';
import type { Channel, ComplaintCategory } from '../../server/codes/case-codes.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import { readMailbox } from '../helpers/mailbox.ts';
import { messageId, OUR_SENDER, rfc822 } from '../intake/intake-helpers.ts';
import { link, loginConsumer, MARIA } from './portal-helpers.ts';
import { completeTask, taskFor as findTask, type Headers } from '../helpers/tasks.ts';

const DAY = 24 * 3600 * 1000;

/**
 * Issue 12, engineer A: the one legal clock of a case (warning, escalation, breach on every path, moved by an
 * approved extension, paused only where the tenant says so), the incomplete complaint's written request and its
 * own wait, the SEF approval of filings, what is not a complaint and what is withdrawn, the paper channels (IL-04),
 * the compensation granted by finance and its notice, the satisfaction survey. Real engine, workers, mail server.
 */
describe('complaint process: the clock, completion, filing, extension, compensation', () => {
  let t: TestContext;
  let officer: Headers;
  let supervisor: Headers;
  let registry: Headers;
  let finance: Headers;
  let customerId: string;

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    [officer, supervisor, registry, finance] = await Promise.all([
      t.login('officer@demo.local'),
      t.login('supervisor@demo.local'),
      t.login('registry@demo.local'),
      t.login('finance@demo.local'),
    ]);
    customerId = (
      await t.app.inject({ method: 'GET', url: '/api/customers?q=RO005E512345678', headers: officer })
    ).json<{ items: Array<{ id: string }> }>().items[0]!.id;
  });
  afterAll(async () => t?.close());

  const taskFor = (headers: Headers, number: string, name: string) => findTask(t, headers, number, name);
  const complete = (headers: Headers, number: string, name: string, payload: Record<string, unknown>) =>
    completeTask(t, headers, number, name, payload);

  /**
   * The case's open task shows the case's current due date (the end of that day) in the inbox (GET /api/tasks)
   * and in the task API (GET /api/tasks/:id), whatever due date the engine gave the task when it was created.
   */
  async function dueShown(headers: Headers, number: string, name: string, due: string) {
    const want = Date.parse(endOfBusinessDay(due));
    const listed = await waitFor(async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/tasks?scope=mine&pageSize=100', headers });
      const item = res
        .json<{
          items: Array<{
            id: string;
            name: string;
            due: string | null;
            case: { number: string; dueDate: string } | null;
          }>;
        }>()
        .items.find((x) => x.case?.number === number && x.name === name);
      return item && item.due && Date.parse(item.due) === want && item.case?.dueDate === due ? item : null;
    }, 10_000).catch(() => null);
    expect(listed, 'the inbox shows the new due date').not.toBeNull();
    const one = await t.app.inject({ method: 'GET', url: `/api/tasks/${listed!.id}`, headers });
    expect(one.statusCode, one.body).toBe(200);
    expect(Date.parse(one.json<{ due: string }>().due)).toBe(want);
  }

  /** Claims the case's task: its holder may propose an extension (issue 12). */
  async function hold(headers: Headers, number: string, name: string) {
    const task = await taskFor(headers, number, name);
    const claim = await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/claim`, headers });
    expect(claim.statusCode, claim.body).toBe(200);
  }

  /** Maria Ionescu's complaint (no place named), answered to a fresh address unless `email` is null. */
  function register(
    o: { category?: ComplaintCategory; channel?: Channel; receivedAt?: Date; email?: string | null } = {},
  ) {
    return createCase(t, {
      channel: o.channel ?? 'call_center',
      category: o.category ?? 'facturare',
      subject: 'Reclamație de test',
      body: 'Factura din octombrie este mult prea mare față de consumul real, vă rog verificați.',
      place: null,
      contactEmail:
        o.email === null ? undefined : (o.email ?? `clock-${Date.now()}-${Math.random()}@example.test`),
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

  const events = async (number: string) =>
    (
      await t.db
        .select({ type: caseEvents.type, message: caseEvents.message })
        .from(caseEvents)
        .where(eq(caseEvents.caseId, (await caseRow(number)).id))
    ).map((e) => e.type);

  const mailTo = (email: string, subjectPart: string) =>
    waitFor(async () => (await readMailbox(email)).find((m) => m.subject?.includes(subjectPart)));

  async function mainInstance(number: string) {
    return waitFor(async () => (await caseRow(number)).processInstanceId);
  }

  /** Pending timer due dates of an activity of the case's main process, through the engine's REST API. */
  async function timerDue(number: string, activityId: string): Promise<string[]> {
    return t.engine.timerDueDates(await mainInstance(number), activityId);
  }

  /** Waits until the activity's pending timer is due at `iso` (the worker moves it just before it records). */
  async function timerAt(number: string, activityId: string, iso: string) {
    const want = new Date(iso).toISOString().replace('Z', '+0000');
    const got = await waitFor(async () => {
      const due = await timerDue(number, activityId);
      return due.length === 1 && due[0] === want ? due : null;
    }, 10_000).catch(async () => timerDue(number, activityId));
    expect(got).toEqual([want]);
  }

  async function executeTimer(number: string, activityId: string) {
    const pid = await mainInstance(number);
    const job = await waitFor(async () => {
      const res = await fetch(
        `${t.engineRest.url}/job?timers=true&processInstanceId=${pid}&activityId=${activityId}`,
        { headers: { authorization: t.engineRest.authorization } },
      );
      return ((await res.json()) as Array<{ id: string }>)[0];
    });
    const exec = await fetch(`${t.engineRest.url}/job/${job.id}/execute`, {
      method: 'POST',
      headers: { authorization: t.engineRest.authorization },
    });
    expect(exec.status).toBe(204);
  }

  /** The tenant's settings, as its administrator changes them. */
  async function setTenant(values: {
    completionPausesDeadline?: boolean;
    satisfactionSurvey?: boolean;
    completionWaitWorkingDays?: number;
  }) {
    const admin = await t.login('admin@demo.local');
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/tenant-settings',
      headers: admin,
      payload: values,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject(values);
  }

  it('takes a letter from the post to IL-04 and watches the legal clock while the case waits there', async () => {
    // Received 60 days ago by post: the warning, the escalation and the breach are all due, and nobody has even
    // checked the registration yet.
    const reg = await register({ channel: 'post', receivedAt: new Date(Date.now() - 60 * DAY) });
    await taskFor(registry, reg.number, 'Verificarea înregistrării de la ghișeu, poștă sau fax');
    await taskFor(supervisor, reg.number, 'Repartizarea dosarului și escaladarea internă');
    const breached = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.breachedAt ? c : null;
    });
    // The compensation owed is known from the breach on (the first day of delay), before any answer.
    expect(breached.compensationLei).toBe(100);
    expect(breached.answerCommunicatedAt).toBeNull();
    // Past the due date there is nothing left to warn about: the warning loop ended without a warning.
    expect(await events(reg.number)).not.toContain('deadline_warning');
    // The case still waits for the registry's check: the clock did not wait for the case.
    const res = await t.app.inject({ method: 'GET', url: `/api/complaints/${reg.number}`, headers: officer });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ channel: string }>().channel).toBe('post');
  });

  it('warns the holders before the due date while the case still waits for its registration check', async () => {
    // A complaint received long enough ago that its due date is the next working day: the warning is due now.
    const today = businessClock(new Date()).date;
    const target = nextWorkingDay(today);
    let receivedAt: Date | null = null;
    for (let k = 10; k < 40 && !receivedAt; k++) {
      const at = new Date(Date.now() - k * DAY);
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/deadlines/preview?category=facturare&receivedAt=${encodeURIComponent(at.toISOString())}`,
        headers: officer,
      });
      if (res.json<{ dueDate: string }>().dueDate === target) receivedAt = at;
    }
    expect(receivedAt).not.toBeNull();
    const reg = await register({ channel: 'fax', receivedAt: receivedAt! });
    await taskFor(registry, reg.number, 'Verificarea înregistrării de la ghișeu, poștă sau fax');
    await waitFor(async () => ((await events(reg.number)).includes('deadline_warning') ? true : null));
    expect((await caseRow(reg.number)).breachedAt).toBeNull();
    // The warning loop looks again at the end of the due day (an extension approved meanwhile warns again).
    await timerAt(reg.number, 'warnLater', endOfBusinessDay(target));
  });

  it('asks in writing for what is missing, waits for the reply and, when the tenant says so, pauses the deadline', async () => {
    await setTenant({ completionPausesDeadline: true });
    try {
      const email = `completion-${Date.now()}@example.test`;
      const reg = await register({ category: 'grup_masurare', email });
      // What the consumer must add is its own field, required for this outcome; the comment stays internal.
      const triage = await taskFor(officer, reg.number, 'Clasificarea și admisibilitatea reclamației');
      await t.app.inject({ method: 'POST', url: `/api/tasks/${triage.id}/claim`, headers: officer });
      const unsaid = await t.app.inject({
        method: 'POST',
        url: `/api/tasks/${triage.id}/complete`,
        headers: officer,
        payload: { outcome: 'incomplete', comment: 'Clientul nu a dat seria, pare grăbit.' },
      });
      expect(unsaid.statusCode).toBe(400);
      expect(unsaid.json<{ message: string }>().message).toBe(
        'Ce trebuie să completeze consumatorul: scrieți cel puțin 10 caractere.',
      );
      await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
        outcome: 'incomplete',
        comment: 'Intern: clientul nu a dat seria, pare grăbit.',
        missingInformation: 'Seria contorului și indexul citit de dumneavoastră la data reclamației.',
      });
      const request = await mailTo(email, 'vă rugăm să completați reclamația');
      expect(request.text).toContain('Seria contorului și indexul citit de dumneavoastră');
      expect(request.text).not.toContain('pare grăbit');
      expect(request.text).toContain('Temei legal');
      const asked = await waitFor(async () => {
        const c = await caseRow(reg.number);
        return c.completionRequestedAt ? c : null;
      });
      // The request went out three working days ago (so the pause has a length).
      const before = new Date(Date.now() - 5 * DAY);
      await t.db.update(cases).set({ completionRequestedAt: before }).where(eq(cases.id, asked.id));

      // The consumer answers by e-mail: the intake attaches it and the wait for completion ends.
      const [tenant] = await t.db.select().from(tenants).where(eq(tenants.id, t.demoTenantId));
      const out = await processInboundMail(
        { db: t.db, engine: t.engine, secret: 's', log: silentLog, ownAddresses: [OUR_SENDER] },
        { id: t.demoTenantId, code: 'DEMO', intakeEmail: tenant!.intakeEmail },
        {
          raw: Buffer.from(
            rfc822(
              { From: email, Subject: `Re: ${reg.number} completare`, 'Message-ID': messageId() },
              'Seria contorului este 12345678, indexul 04512 la 1 decembrie.',
            ),
          ),
          arrivedAt: new Date(),
        },
      );
      expect(out.status).toBe('reply');
      const resumed = await waitFor(async () => {
        const c = await caseRow(reg.number);
        return c.completionReceivedAt ? c : null;
      });
      // 30 calendar days: the deadline moved by the calendar days the clock stood still, the timers with it.
      expect(resumed.dueDate > asked.dueDate).toBe(true);
      await timerAt(reg.number, 'breachTimer', endOfBusinessDay(resumed.dueDate));
      // Back to triage with the completed complaint.
      await taskFor(officer, reg.number, 'Clasificarea și admisibilitatea reclamației');
    } finally {
      await setTenant({ completionPausesDeadline: false });
    }
  });

  it('files a complaint the consumer never completed, after SEF approves, and tells them', async () => {
    const email = `never-${Date.now()}@example.test`;
    const reg = await register({ email });
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'incomplete',
      comment: 'Lipsește numărul facturii contestate.',
      missingInformation: 'Numărul și data facturii pe care o contestați.',
    });
    await mailTo(email, 'vă rugăm să completați reclamația');
    // The completion term passes (its own timer, executed now).
    await executeTimer(reg.number, 'completionTimeout');
    await complete(officer, reg.number, 'Propunerea de clasare sau redirecționare a dosarului', {
      comment: 'Clientul nu a răspuns cererii de completare.',
    });
    await complete(supervisor, reg.number, 'Aprobarea clasării sau redirecționării', { approved: true });
    const filed = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.status === 'filed' ? c : null;
    });
    expect(filed.filedReason).toBe('incomplete');
    const notice = await mailTo(email, 'clasare');
    expect(notice.text).toContain('Nu am primit');
    expect(notice.text).toContain('Temei legal');
  });

  it('routes not_a_complaint through SEF (a refusal goes back to triage) and answers it shortly, uncounted', async () => {
    const email = `info-${Date.now()}@example.test`;
    const reg = await register({ email });
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'not_a_complaint',
      comment: 'Clientul cere doar data următoarei citiri.',
    });
    await complete(officer, reg.number, 'Propunerea de clasare sau redirecționare a dosarului', {
      comment: 'Cerere de informații, nu reclamație.',
    });
    await complete(supervisor, reg.number, 'Aprobarea clasării sau redirecționării', {
      approved: false,
      comment: 'Clientul contestă și factura: reanalizați încadrarea.',
    });
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'not_a_complaint',
      comment: 'Verificat din nou: doar o cerere de informații.',
    });
    await complete(officer, reg.number, 'Propunerea de clasare sau redirecționare a dosarului', {
      comment: 'Cerere de informații.',
    });
    await complete(supervisor, reg.number, 'Aprobarea clasării sau redirecționării', { approved: true });
    const filed = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.status === 'filed' ? c : null;
    });
    expect(filed.filedReason).toBe('not_a_complaint');
    expect(filed.kind).toBe('not_a_complaint');
    expect(filed.compensationLei ?? 0).toBe(0);
    const answer = await mailTo(email, 'răspuns');
    expect(answer.text).toContain('nu este o reclamație');
    expect(answer.text).toContain('Ordinul ANRE nr. 16/2015');
    expect(await events(reg.number)).toContain('filed');
  });

  it('closes a withdrawn complaint after SEF approves and confirms it to the consumer', async () => {
    const email = `withdrawn-${Date.now()}@example.test`;
    const reg = await register({ email });
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'withdrawn',
      comment: 'Clientul a sunat și a retras reclamația.',
    });
    await complete(officer, reg.number, 'Propunerea de clasare sau redirecționare a dosarului', {
      comment: 'Retragere confirmată telefonic.',
    });
    await complete(supervisor, reg.number, 'Aprobarea clasării sau redirecționării', { approved: true });
    const mail = await mailTo(email, 'retragere');
    expect(mail.text).toContain('retragerea reclamației');
    expect((await caseRow(reg.number)).filedReason).toBe('withdrawn');
  });

  it('sends the filing notice by post to a consumer without e-mail and counts it from its dispatch', async () => {
    const noEmail = await demoCustomer(t, '2000456789');
    const reg = await createCase(t, {
      channel: 'call_center',
      category: 'facturare',
      subject: 'Retragere',
      body: 'Clientul a sunat din nou și și-a retras reclamația privind factura.',
      customer: noEmail,
      place: null,
    });
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'withdrawn',
      comment: 'Clientul și-a retras reclamația telefonic.',
    });
    await complete(officer, reg.number, 'Propunerea de clasare sau redirecționare a dosarului', {
      comment: 'Retragere confirmată.',
    });
    await complete(supervisor, reg.number, 'Aprobarea clasării sau redirecționării', { approved: true });
    // The confirmation waits in the postal register as a letter, like a posted answer (IL-33).
    await taskFor(registry, reg.number, 'Expedierea prin poștă și dovada comunicării');
    const letters = (
      await t.app.inject({ method: 'GET', url: '/api/postal-dispatches?pending=true', headers: registry })
    ).json<{ items: Array<{ id: number; caseNumber: string; documentKind: string }> }>().items;
    const notice = letters.find((l) => l.caseNumber === reg.number && l.documentKind === 'filing_letter');
    expect(notice).toBeDefined();
    expect((await caseRow(reg.number)).answerCommunicatedAt).toBeNull();
    const postedAt = new Date(Date.now() - 3600_000);
    await t.app.inject({
      method: 'PATCH',
      url: `/api/postal-dispatches/${notice!.id}`,
      headers: registry,
      payload: { dispatchedAt: postedAt.toISOString(), postalReference: 'RR987654321RO' },
    });
    await complete(registry, reg.number, 'Expedierea prin poștă și dovada comunicării', {
      comment: 'Confirmarea retragerii predată la poștă.',
    });
    const c = await waitFor(async () => {
      const row = await caseRow(reg.number);
      return row.answerCommunicatedAt ? row : null;
    });
    expect(c).toMatchObject({ status: 'filed', filedReason: 'withdrawn', answerCommunicatedBy: 'post' });
    expect(c.answerCommunicatedAt!.getTime()).toBe(postedAt.getTime());
  });

  it('extends the deadline on any path after SEF approves: notice with reason and new date, timers moved', async () => {
    const email = `ext-${Date.now()}@example.test`;
    const reg = await register({ category: 'calitate_energie', email });
    const before = await caseRow(reg.number);
    await mainInstance(reg.number);
    // The extension is proposed by whoever holds a task of the case.
    await hold(officer, reg.number, 'Clasificarea și admisibilitatea reclamației');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/deadlines/extension-requests',
      headers: officer,
      payload: { caseNumber: reg.number, reason: 'scurt' },
    });
    expect(bad.statusCode).toBe(400);
    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/deadlines/extension-requests',
      headers: officer,
      payload: {
        caseNumber: reg.number,
        reason: 'Măsurătorile OD privind tensiunea nu sunt încă disponibile.',
      },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    await complete(supervisor, reg.number, 'Aprobarea prelungirii termenului', { approved: true });
    const extended = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.extendedAt ? c : null;
    });
    expect(extended.originalDueDate).toBe(before.dueDate);
    expect(extended.dueDate > before.dueDate).toBe(true);
    expect(extended.extensionReason).toContain('tensiunea');
    const notice = await mailTo(email, 'prelungirea termenului');
    expect(notice.text).toContain(extended.dueDate.split('-').reverse().join('.'));
    expect(notice.text).toContain('tensiunea');
    expect(notice.text).toContain('Legea nr. 31/2018');
    // The one clock follows the new due date.
    await timerAt(reg.number, 'breachTimer', endOfBusinessDay(extended.dueDate));
    // So does the task still open (triage, held during the extension): in the task API and in the inbox.
    await dueShown(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', extended.dueDate);
    // Once extended, never again.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/deadlines/extension-requests',
      headers: officer,
      payload: { caseNumber: reg.number, reason: 'Încă o prelungire, ca să vedem dacă se poate.' },
    });
    expect(again.statusCode).toBe(409);
  });

  it('refuses an extension whose notice can no longer reach the consumer before the due date', async () => {
    const reg = await register({ category: 'calitate_energie', receivedAt: new Date(Date.now() - 50 * DAY) });
    await mainInstance(reg.number);
    await hold(officer, reg.number, 'Clasificarea și admisibilitatea reclamației');
    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/deadlines/extension-requests',
      headers: officer,
      payload: { caseNumber: reg.number, reason: 'Datele de la OD întârzie, cerem prelungirea termenului.' },
    });
    expect(asked.statusCode, asked.body).toBe(200);
    await complete(supervisor, reg.number, 'Aprobarea prelungirii termenului', { approved: true });
    await waitFor(async () => ((await events(reg.number)).includes('extension_refused') ? true : null));
    const c = await caseRow(reg.number);
    expect(c.extendedAt).toBeNull();
    expect(c.originalDueDate).toBeNull();
  });

  it('counts a posted answer from its recorded dispatch: delay in working days, compensation from that date', async () => {
    // A customer without e-mail: the answer goes by post; received 40 days ago, so it is late.
    const noEmail = await demoCustomer(t, '2000456789');
    const reg = await createCase(t, {
      channel: 'counter',
      category: 'facturare',
      subject: 'Factură contestată la ghișeu',
      body: 'Clientul contestă factura din octombrie, depusă la ghișeu pe formularul de înregistrare.',
      customer: noEmail,
      place: null,
      receivedAt: new Date(Date.now() - 40 * DAY),
    });
    await complete(registry, reg.number, 'Verificarea înregistrării de la ghișeu, poștă sau fax', {
      comment: 'Formular complet, secțiunile A și B semnate.',
    });
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'admissible',
    });
    await complete(officer, reg.number, 'Verificarea facturii contestate', {
      findings: 'Factura este corectă, prețul corespunde ofertei.',
      branch: 'pret',
    });
    await complete(officer, reg.number, 'Analiza reclamației și nota de constatare', {
      findings: 'Factura este corectă; consumul a crescut în octombrie.',
    });
    await complete(officer, reg.number, 'Redactarea răspunsului către client', {
      answerText: 'Factura este corectă. Vă cerem scuze pentru întârziere.',
    });
    await complete(supervisor, reg.number, 'Aprobarea răspunsului', { approved: true });
    // The letter waits in the postal register; until it is posted nothing counts as communicated.
    await taskFor(registry, reg.number, 'Expedierea prin poștă și dovada comunicării');
    expect((await caseRow(reg.number)).answerCommunicatedAt).toBeNull();
    const letters = (
      await t.app.inject({ method: 'GET', url: '/api/postal-dispatches?pending=true', headers: registry })
    ).json<{ items: Array<{ id: number; caseNumber: string; documentKind: string }> }>().items;
    const answer = letters.find((l) => l.caseNumber === reg.number && l.documentKind === 'answer_letter');
    expect(answer).toBeDefined();
    // Posted yesterday (recorded today): the answer counts from yesterday.
    const postedAt = new Date(Date.now() - DAY);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/postal-dispatches/${answer!.id}`,
      headers: registry,
      payload: { dispatchedAt: postedAt.toISOString(), postalReference: 'RR123456789RO' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    await complete(registry, reg.number, 'Expedierea prin poștă și dovada comunicării', {
      comment: 'Scrisoare recomandată RR123456789RO predată la poștă.',
    });
    const c = await waitFor(async () => {
      const row = await caseRow(reg.number);
      return row.answerCommunicatedAt ? row : null;
    });
    expect(c.answerCommunicatedBy).toBe('post');
    expect(c.answerCommunicatedAt!.getTime()).toBe(postedAt.getTime());
    const days = delayDays(c.dueDate, businessClock(postedAt).date, 'working');
    expect(days).toBeGreaterThan(0);
    expect(c.delayDays).toBe(days);
    expect(c.compensationLei).toBe(100 + 50 * (days - 1));
    await taskFor(finance, reg.number, 'Acordarea compensației pentru depășirea termenului');
  });

  it('counts an answer from the moment the consumer downloads it in the portal, before the letter is posted', async () => {
    // The customer file has no e-mail (the answer goes by post), but the consumer uses the portal.
    const [before] = await t.db.select().from(customers).where(eq(customers.id, customerId));
    await t.db.update(customers).set({ email: null }).where(eq(customers.id, customerId));
    try {
      const consumer = await loginConsumer(t);
      expect((await link(t, consumer, MARIA)).statusCode).toBe(201);
      const reg = await createCase(t, {
        channel: 'call_center',
        category: 'facturare',
        subject: 'Factură prea mare',
        body: 'Clienta contestă factura din octombrie, mult peste consumul obișnuit.',
        place: null,
      });
      await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
        outcome: 'admissible',
      });
      await complete(officer, reg.number, 'Verificarea facturii contestate', {
        findings: 'Factura este corectă, prețul corespunde ofertei.',
        branch: 'pret',
      });
      await complete(officer, reg.number, 'Analiza reclamației și nota de constatare', {
        findings: 'Factura este corectă; consumul a crescut în octombrie.',
      });
      await complete(officer, reg.number, 'Redactarea răspunsului către client', {
        answerText: 'Factura este corectă; consumul a crescut în octombrie.',
      });
      await complete(supervisor, reg.number, 'Aprobarea răspunsului', { approved: true });
      await taskFor(registry, reg.number, 'Expedierea prin poștă și dovada comunicării');
      const c = await caseRow(reg.number);
      expect(c.answerCommunicatedAt).toBeNull();
      const [doc] = await t.db
        .select({ id: caseDocuments.id })
        .from(caseDocuments)
        .where(and(eq(caseDocuments.caseId, c.id), eq(caseDocuments.kind, 'answer_letter')));
      const downloadedAt = Date.now();
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/portal/cases/${reg.number}/documents/${doc!.id}`,
        headers: { authorization: consumer.authorization },
      });
      expect(res.statusCode).toBe(200);
      const taken = await caseRow(reg.number);
      expect(taken.answerCommunicatedBy).toBe('portal');
      expect(taken.answerCommunicatedAt!.getTime()).toBeGreaterThanOrEqual(downloadedAt - 1000);
      // Posting the letter later does not move the moment the answer was given.
      await complete(registry, reg.number, 'Expedierea prin poștă și dovada comunicării', {
        comment: 'Scrisoare predată la poștă.',
      });
      await waitFor(async () => ((await events(reg.number)).includes('answered_in_time') ? true : null));
      const after = await caseRow(reg.number);
      expect(after.answerCommunicatedBy).toBe('portal');
      expect(after.answerCommunicatedAt!.getTime()).toBe(taken.answerCommunicatedAt!.getTime());
      expect(after.delayDays).toBe(0);
    } finally {
      await t.db.update(customers).set({ email: before!.email }).where(eq(customers.id, customerId));
    }
  });

  it('runs the satisfaction survey (IL-40) after closing when the tenant enables it', async () => {
    await setTenant({ satisfactionSurvey: true });
    try {
      const reg = await createCase(t, {
        channel: 'call_center',
        category: 'informare_clienti',
        subject: 'Informații despre factură',
        body: 'Clientul a întrebat cum se citește factura; i s-a explicat în timpul apelului.',
        place: null,
        contactEmail: `survey-${Date.now()}@example.test`,
        resolvedOnCall: true,
      });
      await taskFor(registry, reg.number, 'Evaluarea satisfacției clientului');
      expect((await caseRow(reg.number)).status).toBe('closed');
    } finally {
      await setTenant({ satisfactionSurvey: false });
    }
  });
});
