import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, inboundMessages, operatorRequests, tenants } from '../../server/db/schema/index.ts';
import { EngineClient } from '../../server/engine/client.ts';
import { recordOperatorAnswer } from '../../server/operator-requests/operator-requests.service.ts';
import { createCase } from '../factories/index.ts';
import { readMailbox } from '../helpers/mailbox.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { completeTask, taskFor as taskOf, type Headers } from '../helpers/tasks.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  giveTenantsFreshAddresses,
  messageId,
  rfc822,
  runIntake,
  sendRaw,
  type RunningIntake,
} from './intake-helpers.ts';

// Other test files write to the seeded operator address with the same references (numbers restart per database):
// this file's operator has a mailbox of its own, so only our requests are read back.
const OPERATOR = `od-${randomBytes(4).toString('hex')}@distributie.local`;

/**
 * Issue 3 leftover 3: the distribution operator answers our request by e-mail. The intake matches our reference
 * (subject) or our Message-ID (In-Reply-To), records the answer on the case and correlates `operator-answered` to
 * the waiting process: no new case, no acknowledgement. Real engine, workers and mail server.
 */
describe('operator answers by e-mail', () => {
  let t: TestContext;
  let intake: RunningIntake;
  let addr: { demo: string; acme: string };
  let officer: Headers;

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    officer = await t.login('officer@demo.local');
    addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
    await t.db.update(tenants).set({ operatorEmail: OPERATOR }).where(eq(tenants.id, t.demoTenantId));
    intake = await runIntake({ db: t.db, engine: t.engine, secret: 'test-secret' }, [
      t.demoTenantId,
      t.acmeTenantId,
    ]);
  });
  afterAll(async () => {
    await intake?.stop();
    await t?.close();
  });

  const taskFor = (number: string, name: string) => taskOf(t, officer, number, name);
  const complete = (number: string, name: string, payload: Record<string, unknown>) =>
    completeTask(t, officer, number, name, payload);

  /** A metering complaint that reaches the request to the operator; returns the case and our request e-mail. */
  async function caseWaitingForOperator() {
    const reg = await createCase(t, {
      category: 'grup_masurare',
      subject: 'Contor defect',
      body: 'Contorul înregistrează un consum mult mai mare decât cel real, vă rog verificați.',
      place: null,
      contactEmail: `od-reply-${Date.now()}@example.test`,
    });
    await complete(reg.number, 'Clasificarea și admisibilitatea reclamației', { outcome: 'admissible' });
    await complete(reg.number, 'Solicitarea verificării contorului și recalcularea consumului', {
      findings: 'Clientul contestă indexul; este necesară verificarea metrologică.',
      branch: 'verificare_contor',
    });
    await complete(reg.number, 'Solicitarea către OD a datelor de măsurare / recitirii', {
      questions: 'Vă rugăm indexurile citite în ultimele 6 luni.',
    });
    const reference = `${reg.number}/OD1`;
    const request = await waitFor(async () =>
      (await readMailbox(OPERATOR)).find((m) => m.subject?.includes(reference)),
    );
    return { reg, reference, request };
  }

  const inboundCount = async () => (await t.db.select().from(inboundMessages)).length;

  it('matches a reply by In-Reply-To, records the answer and resumes the process (no new case)', async () => {
    const { reg, reference, request } = await caseWaitingForOperator();
    const before = intake.outcomes.length;
    // Acknowledgements the operator's address already got (another test's message to another tenant's mailbox is
    // a complaint there, rightly acknowledged): this reply must add none.
    const acknowledgements = async () =>
      (await readMailbox(OPERATOR)).filter((m) => m.subject?.includes('înregistrat')).length;
    const acknowledgedBefore = await acknowledgements();
    // A reply whose subject lost our reference: only In-Reply-To ties it to the request.
    await sendRaw(
      addr.demo,
      rfc822(
        {
          From: `Distribuție Demo <${OPERATOR}>`,
          To: addr.demo,
          Subject: 'Re: solicitarea dumneavoastră',
          'Message-ID': messageId(),
          'In-Reply-To': request.messageId!,
          References: request.messageId!,
          Date: new Date().toUTCString(),
        },
        'Indexurile citite: 1200, 1350, 1500. Contorul a fost verificat.',
      ),
      OPERATOR,
    );
    const [outcome] = (await intake.waitForOutcomes(before + 1)).slice(before);
    expect(outcome).toMatchObject({
      status: 'operator_answer',
      number: reg.number,
      reference,
      firstAnswer: true,
      correlated: true,
    });

    const [req] = await t.db.select().from(operatorRequests).where(eq(operatorRequests.reference, reference));
    expect(req!.answeredAt).not.toBeNull();
    expect(req!.answerText).toContain('Indexurile citite');
    const events = await t.db.select().from(caseEvents).where(eq(caseEvents.caseId, reg.id));
    expect(events.map((e) => e.type)).toContain('operator_answered');
    // The process moved on to the analysis of the operator's answer.
    await taskFor(reg.number, 'Analiza răspunsului OD și informarea clientului');
    // No acknowledgement went to the operator for its answer.
    expect(await acknowledgements()).toBe(acknowledgedBefore);
  });

  it('matches by the reference in the subject; a second answer is attached but not correlated again', async () => {
    const { reg, reference } = await caseWaitingForOperator();
    const before = intake.outcomes.length;
    const send = (body: string) =>
      sendRaw(
        addr.demo,
        rfc822(
          {
            From: `Dispecerat <dispecerat@distributie.local>`,
            To: addr.demo,
            Subject: `RE: Solicitare date ref. ${reference}`,
            'Message-ID': messageId(),
            Date: new Date().toUTCString(),
          },
          body,
        ),
        'dispecerat@distributie.local',
      );
    await send('Răspuns: recitirea s-a făcut pe 3 noiembrie.');
    const [first] = (await intake.waitForOutcomes(before + 1)).slice(before);
    expect(first).toMatchObject({
      status: 'operator_answer',
      reference,
      firstAnswer: true,
      correlated: true,
    });
    await send('Revenire: atașăm și buletinul.');
    const [second] = (await intake.waitForOutcomes(before + 2)).slice(before + 1);
    expect(second).toMatchObject({
      status: 'operator_answer',
      reference,
      firstAnswer: false,
      correlated: false,
    });
    const rows = await t.db
      .select()
      .from(inboundMessages)
      .where(and(eq(inboundMessages.caseId, reg.id), eq(inboundMessages.kind, 'operator_answer')));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.pendingMessage === null)).toBe(true);
  });

  it('does not take a forged answer from another domain, nor our reference in another tenant mailbox', async () => {
    const { reg, reference } = await caseWaitingForOperator();
    const before = intake.outcomes.length;
    const countBefore = await inboundCount();
    await sendRaw(
      addr.demo,
      rfc822(
        {
          From: 'Impostor <od@distributie-falsa.test>',
          To: addr.demo,
          Subject: `Re: Solicitare date ref. ${reference}`,
          'Message-ID': messageId(),
        },
        'Nu a fost găsită nicio problemă, închideți reclamația.',
      ),
      'od@distributie-falsa.test',
    );
    await sendRaw(
      addr.acme,
      rfc822(
        {
          From: `Distribuție <${OPERATOR}>`,
          To: addr.acme,
          Subject: `Re: Solicitare date ref. ${reference}`,
          'Message-ID': messageId(),
        },
        'Răspuns trimis la alt furnizor.',
      ),
      OPERATOR,
    );
    const outcomes = (await intake.waitForOutcomes(before + 2)).slice(before);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['registered', 'registered']);
    expect(await inboundCount()).toBe(countBefore + 2);
    const [req] = await t.db.select().from(operatorRequests).where(eq(operatorRequests.reference, reference));
    expect(req!.answeredAt).toBeNull();
    const events = await t.db.select().from(caseEvents).where(eq(caseEvents.caseId, reg.id));
    expect(events.map((e) => e.type)).not.toContain('operator_answered');
    // At the other supplier the operator's message is a complaint like any other: acknowledged to its sender
    // (awaited here, so that no acknowledgement of this test reaches the operator's mailbox during another).
    const demoPrefix = `${reg.number.split('-')[0]}-`;
    const acmeNumber = outcomes
      .map((o) => (o.status === 'registered' ? o.number : ''))
      .find((n) => n && !n.startsWith(demoPrefix));
    expect(acmeNumber).toBeTruthy();
    await waitFor(async () =>
      (await readMailbox(OPERATOR)).some((m) => m.subject?.includes(`înregistrată cu nr. ${acmeNumber}`)),
    );
  });
  it('an answer typed in while the engine is away is kept, and sending it again resumes the process', async () => {
    const { reg, reference } = await caseWaitingForOperator();
    const text = 'Indexul citit la 20.11: 15 230 kWh; contorul funcționează corect.';
    const away = new EngineClient({ url: 'http://127.0.0.1:1/engine-rest', user: 'x', password: 'x' });
    await expect(
      recordOperatorAnswer(
        { db: t.db, engine: away },
        { tenantId: t.demoTenantId, reference, answerText: text, actor: { id: null, kind: 'user' } },
      ),
    ).rejects.toThrow();
    const [kept] = await t.db
      .select()
      .from(operatorRequests)
      .where(eq(operatorRequests.reference, reference));
    expect(kept?.answerText).toBe(text);

    const post = (answerText: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/operator-requests/${reference}/answer`,
        headers: officer,
        payload: { answerText },
      });
    const other = await post('Alt răspuns');
    expect(other.statusCode, other.body).toBe(409);
    const retry = await post(text);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toMatchObject({ correlated: true });
    await taskFor(reg.number, 'Analiza răspunsului OD și informarea clientului');
    expect((await post(text)).statusCode).toBe(409); // nothing waits any more
  });
});
