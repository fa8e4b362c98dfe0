import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import { readMailbox } from '../helpers/mailbox.ts';
import { completeTask, taskFor, type Headers } from '../helpers/tasks.ts';

/**
 * Step 4 of the foundation, through the real API, engine, workers and mail server: an agent registers a
 * complaint, the consumer is acknowledged by e-mail, an officer analyses and drafts, a supervisor rejects once and
 * then approves, the answer is e-mailed, the case closes, and the consumer follows it on the public status page.
 */
describe('a complaint from registration to answer', () => {
  let t: TestContext;
  const consumerEmail = `consumer-${Date.now()}@example.test`;

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
  });
  afterAll(async () => t?.close());

  it('walks every step with the real engine', async () => {
    const agent = await t.login('agent@demo.local');
    const officer = await t.login('officer@demo.local');
    const supervisor = await t.login('supervisor@demo.local');

    // The agent finds the customer by POD and picks the place of consumption.
    const search = await t.app.inject({
      method: 'GET',
      url: '/api/customers?q=RO005E512345678',
      headers: agent,
    });
    expect(search.statusCode).toBe(200);
    const [customer] = search.json<{
      items: Array<{ id: string; name: string; places: Array<{ id: string; placeCode: string }> }>;
    }>().items;
    expect(customer?.name).toBe('Maria Ionescu');
    const place = customer!.places.find((p) => p.placeCode === 'RO005E512345678');
    expect(place).toBeDefined();

    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers: agent,
      payload: {
        customerId: customer!.id,
        placeId: place!.id,
        category: 'facturare',
        subject: 'Factură prea mare pentru octombrie',
        body: 'Factura din octombrie are un consum de 3 ori mai mare decât de obicei, deși indexul citit de mine este 12345.',
        contactEmail: consumerEmail,
      },
    });
    expect(reg.statusCode).toBe(201);
    const registered = reg.json<{
      number: string;
      dueDate: string;
      registeredOn: string;
      accessCode: string;
      processStarted: boolean;
      deadlineRule: { days: number; unit: string };
    }>();
    const year = new Intl.DateTimeFormat('en', { timeZone: 'Europe/Bucharest', year: 'numeric' }).format(
      new Date(),
    );
    expect(registered.number).toBe(`DEMO-${year}-000001`);
    expect(registered.processStarted).toBe(true);
    expect(registered.deadlineRule).toMatchObject({ days: 15, unit: 'working' });
    expect(registered.dueDate > registered.registeredOn).toBe(true);

    // The engine holds exactly one instance for the case, under the tenant.
    const instances = await t.engine.findProcessInstances({
      businessKey: registered.number,
      tenantId: t.demoTenantId,
    });
    expect(instances).toHaveLength(1);

    // The acknowledgement arrives over IMAP with number, due date and the status link with the access code.
    const ack = await waitFor(async () =>
      (await readMailbox(consumerEmail)).find((m) => m.subject?.includes(registered.number)),
    );
    expect(ack.subject).toContain('înregistrată');
    const [y, m, d] = registered.dueDate.split('-');
    expect(ack.text).toContain(`${d}.${m}.${y}`);
    expect(ack.text).toContain(`/status/${registered.number}?code=${registered.accessCode}`);

    // The officer classifies the complaint as admissible (IL-06); the routing table sends a billing complaint to
    // the billing verification, where the billing specialist (IL-10) finds a price error to correct.
    const claimAndComplete = (headers: Headers, name: string, payload: Record<string, unknown>) =>
      completeTask(t, headers, registered.number, name, payload);
    await claimAndComplete(officer, 'Clasificarea și admisibilitatea reclamației', { outcome: 'admissible' });
    const invoice = await taskFor(t, officer, registered.number, 'Verificarea facturii contestate');
    const invoiceDetail = await t.app.inject({
      method: 'GET',
      url: `/api/tasks/${invoice.id}`,
      headers: officer,
    });
    expect(invoiceDetail.json()).toMatchObject({
      form: 'verification',
      instruction: { id: 'IL-10', role: 'SF' },
      branches: ['pret', 'index', 'autocitire', 'gaze', 'prosumator', 'compensatii_od'],
    });
    await claimAndComplete(officer, 'Verificarea facturii contestate', {
      findings: 'Prețul aplicat în octombrie nu corespunde ofertei acceptate (0,95 lei/kWh).',
      branch: 'pret',
      needsCorrection: true,
    });
    await claimAndComplete(officer, 'Recalcularea consumului și emiterea facturii de stornare/regularizare', {
      comment: 'Factura stornată și reemisă cu prețul din ofertă.',
    });
    // The refund is the financial specialist's (FIN): the supervisor, as admin of the demo, takes it over.
    const [fin] = (
      await t.app.inject({ method: 'GET', url: '/api/org-chart', headers: await t.login('admin@demo.local') })
    )
      .json<{ staff: Array<{ id: string; email: string }> }>()
      .staff.filter((u) => u.email === 'officer@demo.local');
    const give = await t.app.inject({
      method: 'PUT',
      url: '/api/org-chart/job-roles/FIN/holders',
      headers: await t.login('admin@demo.local'),
      payload: { userIds: [fin!.id] },
    });
    expect(give.statusCode).toBe(200);
    await claimAndComplete(officer, 'Restituirea sumelor încasate în plus / compensarea în facturi', {
      comment: 'Diferența se compensează în factura următoare.',
    });

    // The officer's group inbox shows the analysis task; the officer claims it and sees the instruction.
    const analysis = await taskFor(
      t,
      officer,
      registered.number,
      'Analiza reclamației și nota de constatare',
    );
    expect(analysis.assignee).toBeNull();
    const claim = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${analysis.id}/claim`,
      headers: officer,
    });
    expect(claim.statusCode).toBe(200);
    const detail = await t.app.inject({ method: 'GET', url: `/api/tasks/${analysis.id}`, headers: officer });
    expect(detail.json()).toMatchObject({
      form: 'findings',
      assignedToMe: true,
      instruction: { id: 'IL-30', role: 'RSP' },
    });
    expect(
      detail.json<{ instruction: { steps: string[] } }>().instruction.steps.length,
    ).toBeGreaterThanOrEqual(5);
    // The supervisor cannot claim it away any more.
    const steal = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${analysis.id}/claim`,
      headers: supervisor,
    });
    expect([404, 409]).toContain(steal.statusCode);

    const done = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${analysis.id}/complete`,
      headers: officer,
      payload: { findings: 'Indexul transmis de OD era estimat; consumul real este 310 kWh.' },
    });
    expect(done.statusCode).toBe(200);

    // Draft, reject once, redraft, approve.
    const draftAnswer = (text: string) =>
      completeTask(t, officer, registered.number, 'Redactarea răspunsului către client', {
        answerText: text,
      });
    const decide = (approved: boolean, comment?: string) =>
      completeTask(t, supervisor, registered.number, 'Aprobarea răspunsului', { approved, comment });
    await draftAnswer('Prima variantă de răspuns.');
    // The officer cannot decide the approval: it is not in the officer's job roles.
    await decide(false, 'Precizați suma de restituit.');
    const finalText =
      'Am refăcut factura pe baza indexului real; diferența de 412,50 lei va fi compensată în factura următoare.';
    await draftAnswer(finalText);
    await decide(true);

    // The answer is e-mailed; the case closes.
    const answer = await waitFor(async () =>
      (await readMailbox(consumerEmail)).find((x) => x.subject?.startsWith('Răspuns la reclamația')),
    );
    expect(answer.text).toContain('412,50 lei');
    expect(answer.text).toContain('ANRE');
    // The answer letter and the verification report travel as PDFs, the same bytes as stored in the case.
    const pdfs = answer.attachments.filter((a) => a.contentType === 'application/pdf');
    expect(pdfs.map((a) => a.filename).sort()).toEqual([
      `nota-de-constatare-${registered.number}.pdf`,
      `raspuns-${registered.number}.pdf`,
    ]);
    const closed = await waitFor(async () => {
      const r = await t.app.inject({
        method: 'GET',
        url: `/api/complaints/${registered.number}`,
        headers: supervisor,
      });
      return r.json<{ status: string }>().status === 'closed'
        ? r.json<{ status: string; events: Array<{ type: string }>; messages: unknown[] }>()
        : null;
    });
    expect(closed.messages).toHaveLength(2);
    const docs = (closed as unknown as { documents: Array<{ id: number; kind: string; sha256: string }> })
      .documents;
    expect(docs.map((d) => d.kind).sort()).toEqual(['answer_letter', 'verification_report']);
    for (const a of pdfs)
      expect(docs.map((d) => d.sha256)).toContain(createHash('sha256').update(a.content).digest('hex'));
    const download = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${registered.number}/documents/${docs[0]!.id}`,
      headers: supervisor,
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(createHash('sha256').update(download.rawPayload).digest('hex')).toBe(docs[0]!.sha256);
    // Issued documents are immutable.
    const refused = await t.db
      .execute(sql`update case_documents set file_name = 'x' where id = ${docs[0]!.id}`)
      .then(
        () => 'updated',
        (e: Error) => String((e.cause as Error | undefined)?.message ?? e.message),
      );
    expect(refused).toMatch(/immutable/);
    // The case records the versions it ran under and that it was answered in time.
    expect(closed).toMatchObject({
      versions: {
        processHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        instructionsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      deadline: { delayDays: 0, compensationLei: 0, breachedAt: null },
    });
    expect(closed.events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'registered',
        'acknowledgement_sent',
        'task_note',
        'analysis',
        'answer_rejected',
        'answer_approved',
        'answer_sent',
        'answered_in_time',
        'closed',
      ]),
    );
    // The close worker reports to the engine just after it closed the case record.
    await waitFor(async () =>
      (await t.engine.findProcessInstances({ businessKey: registered.number, tenantId: t.demoTenantId }))
        .length === 0
        ? true
        : null,
    );

    // The consumer follows it without logging in: public events only.
    const status = await t.app.inject({
      method: 'GET',
      url: `/api/status/${registered.number}?code=${registered.accessCode}`,
    });
    expect(status.statusCode).toBe(200);
    const s = status.json<{ status: string; timeline: Array<{ type: string }> }>();
    expect(s.status).toBe('closed');
    expect(s.timeline.map((e) => e.type)).not.toContain('answer_rejected');
    expect(s.timeline.map((e) => e.type)).toContain('answer_sent');
  });
});
