import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, caseEvents, cases } from '../../server/db/schema/index.ts';
import { createCase } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { completeTask, taskFor as taskOf, type Headers } from '../helpers/tasks.ts';
import { waitFor } from '../helpers/wait.ts';

interface Item {
  id: string;
  name: string;
  case: { number: string } | null;
}

const CHECK_INVOICE = 'Verificarea facturii contestate';
const CHECK_METER = 'Solicitarea verificării contorului și recalcularea consumului';
const REVIEW_FINDINGS = 'Analiza contestației privind procesul-verbal al OD';
const ANALYZE = 'Analiza reclamației și nota de constatare';
const DRAFT = 'Redactarea răspunsului către client';
const APPROVE = 'Aprobarea răspunsului';

/**
 * The handling sub-process (complaint-handling.bpmn) through the real engine and workers: a complaint about billing
 * and metering at once runs both verifications in parallel, each offered to the job role the routing table gives
 * (verificationRole), the analysis waits for both; a rejected answer goes back to verification or to drafting, as
 * the supervisor chose.
 */
describe('verification paths of the handling sub-process', () => {
  let t: TestContext;
  let officer: Headers;
  let supervisor: Headers;

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    officer = await t.login('officer@demo.local');
    supervisor = await t.login('supervisor@demo.local');
  });
  afterAll(async () => t?.close());

  async function openTasks(headers: Headers, number: string): Promise<Item[]> {
    const res = await t.app.inject({ method: 'GET', url: '/api/tasks?scope=groups&pageSize=100', headers });
    return res.json<{ items: Item[] }>().items.filter((x) => x.case?.number === number);
  }

  const taskFor = (headers: Headers, number: string, name: string) => taskOf(t, headers, number, name);
  const complete = (headers: Headers, number: string, name: string, payload: Record<string, unknown>) =>
    completeTask(t, headers, number, name, payload);

  /** The engine's candidate groups of the open task with this name (the identity links the engine resolved). */
  async function candidateGroups(number: string, name: string): Promise<string[]> {
    const res = await fetch(
      `${t.engineRest.url}/task?processInstanceBusinessKey=${encodeURIComponent(number)}&tenantIdIn=${t.demoTenantId}`,
      { headers: { authorization: t.engineRest.authorization } },
    );
    const task = ((await res.json()) as Array<{ id: string; name: string }>).find((x) => x.name === name);
    if (!task) throw new Error(`no open task ${name}`);
    const links = await fetch(`${t.engineRest.url}/task/${task.id}/identity-links?type=candidate`, {
      headers: { authorization: t.engineRest.authorization },
    });
    return ((await links.json()) as Array<{ groupId: string | null }>).map((l) => l.groupId ?? '').sort();
  }

  /** Maria Ionescu's complaint about her bill and her meter, by phone (no place named), answered to `email`. */
  const register = (email: string) =>
    createCase(t, {
      subject: 'Factură mare și contor suspect',
      body: 'Factura din octombrie este dublă, iar contorul pare să înregistreze mai mult decât consum.',
      place: null,
      contactEmail: email,
    });

  const caseRow = async (number: string) =>
    (
      await t.db
        .select()
        .from(cases)
        .where(and(eq(cases.tenantId, t.demoTenantId), eq(cases.number, number)))
    )[0]!;

  it('runs billing and metering verifications in parallel and goes back to verification when the supervisor says so', async () => {
    const reg = await register(`parallel-${Date.now()}@example.test`);
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'admissible',
      additionalCategories: ['grup_masurare'],
      // A further category moves the due date (the earliest of the categories'), so it is a reclassification: why.
      comment: 'Și contorul pare defect: consumul a crescut fără explicație.',
    });

    // Both verifications are open at once, each for the job role of its routing rule.
    const both = await waitFor(async () => {
      const names = (await openTasks(officer, reg.number)).map((x) => x.name);
      return names.includes(CHECK_INVOICE) && names.includes(CHECK_METER) ? names : null;
    });
    expect(both).not.toContain(ANALYZE);
    expect(await candidateGroups(reg.number, CHECK_INVOICE)).toEqual(['SF']);
    expect(await candidateGroups(reg.number, CHECK_METER)).toEqual(['SM']);

    // Billing: only the price is in question; its branch ends. The analysis still waits for metering.
    await complete(officer, reg.number, CHECK_INVOICE, {
      findings: 'Prețul aplicat corespunde ofertei acceptate; componentele reglementate sunt corecte.',
      branch: 'pret',
    });
    // Metering: the operator's report of unregistered consumption is contested (IL-17).
    await complete(officer, reg.number, CHECK_METER, {
      findings: 'Clientul contestă procesul-verbal al OD privind consumul neînregistrat.',
      branch: 'pv_consum_neinregistrat',
    });
    await taskFor(officer, reg.number, REVIEW_FINDINGS);
    expect((await openTasks(officer, reg.number)).map((x) => x.name)).not.toContain(ANALYZE);
    await complete(officer, reg.number, REVIEW_FINDINGS, {
      findings: 'Procesul-verbal nu are semnătura clientului; calculul OD nu poate fi reținut.',
      needsCorrection: false,
    });

    await complete(officer, reg.number, ANALYZE, {
      findings: 'Factura este corectă ca preț; procesul-verbal al OD nu poate fi reținut.',
    });
    await complete(officer, reg.number, DRAFT, {
      answerText: 'Stimate client, am verificat factura și procesul-verbal al operatorului de distribuție.',
    });

    // The supervisor rejects and sends the case back to verification: both verifications open again.
    await complete(supervisor, reg.number, APPROVE, {
      approved: false,
      returnTo: 'verification',
      comment: 'Lipsește verificarea indexurilor din procesul-verbal; reluați verificarea contorului.',
    });
    const again = await waitFor(async () => {
      const names = (await openTasks(officer, reg.number)).map((x) => x.name);
      return names.includes(CHECK_INVOICE) && names.includes(CHECK_METER) ? names : null;
    });
    expect(again).not.toContain(DRAFT);
    const history = await t.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.tenantId, t.demoTenantId), eq(caseEvents.caseId, reg.id)));
    expect(history.map((e) => e.message)).toContain(
      'Răspuns respins, dosarul se întoarce la verificare: Lipsește verificarea indexurilor din procesul-verbal; reluați verificarea contorului.',
    );
    const rejected = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, t.demoTenantId), eq(auditLog.action, 'task.completed')));
    expect(
      rejected.some(
        (a) =>
          (a.details as Record<string, unknown>).task === 'approveAnswer' &&
          (a.details as Record<string, unknown>).returnTo === 'verification',
      ),
    ).toBe(true);

    await complete(officer, reg.number, CHECK_INVOICE, {
      findings: 'Reverificat: prețul și taxele sunt corecte.',
      branch: 'pret',
    });
    await complete(officer, reg.number, CHECK_METER, {
      findings:
        'Reverificat: indexurile din procesul-verbal diferă de cele citite; contestăm procesul-verbal.',
      branch: 'pv_consum_neinregistrat',
    });
    await complete(officer, reg.number, REVIEW_FINDINGS, {
      findings: 'Indexurile din procesul-verbal diferă de citirile lunare; se anulează calculul OD.',
      needsCorrection: false,
    });
    await complete(officer, reg.number, ANALYZE, {
      findings: 'Factura corectă; calculul OD anulat pentru indexuri diferite de citiri.',
    });
    await complete(officer, reg.number, DRAFT, {
      answerText: 'Stimate client, factura este corectă, iar calculul operatorului a fost anulat.',
    });

    // A rejection without a choice goes back to drafting, as before.
    await complete(supervisor, reg.number, APPROVE, {
      approved: false,
      comment: 'Menționați căile de contestare (ANRE, instanța).',
    });
    await taskFor(officer, reg.number, DRAFT);
    expect((await openTasks(officer, reg.number)).map((x) => x.name)).not.toContain(CHECK_INVOICE);
    await complete(officer, reg.number, DRAFT, {
      answerText:
        'Stimate client, factura este corectă, iar calculul operatorului a fost anulat. Vă puteți adresa ANRE.',
    });
    await complete(supervisor, reg.number, APPROVE, { approved: true });
    const answered = await waitFor(async () => {
      const c = await caseRow(reg.number);
      return c.answerText?.includes('ANRE') && c.status !== 'in_progress' ? c : null;
    });
    expect(answered.answerText).toContain('Vă puteți adresa ANRE');
  });

  it('asks legal for the point of view to the authority beside the verification of a forwarded complaint', async () => {
    const reg = await createCase(t, {
      channel: 'email',
      source: 'authority',
      authorityName: 'ANRE',
      subject: 'Sesizare ANRE: factură contestată',
      body: 'ANRE ne transmite plângerea clientului privind factura din octombrie, cu termen de răspuns.',
      place: null,
      contactEmail: `authority-${Date.now()}@example.test`,
    });
    await complete(
      await t.login('registry@demo.local'),
      reg.number,
      'Verificarea înregistrării primite pe e-mail',
      { comment: 'Sesizarea ANRE are numărul și termenul autorității.' },
    );
    await complete(officer, reg.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'admissible',
    });
    const legal = await t.login('legal@demo.local');
    await taskFor(legal, reg.number, 'Punctul de vedere către autoritate');
    await taskFor(officer, reg.number, CHECK_INVOICE);
    expect(await candidateGroups(reg.number, 'Punctul de vedere către autoritate')).toEqual(['CJ']);
    await complete(legal, reg.number, 'Punctul de vedere către autoritate', {
      findings: 'Punctul de vedere către ANRE: factura se verifică, răspunsul către client urmează.',
    });
    expect((await openTasks(officer, reg.number)).map((x) => x.name)).not.toContain(ANALYZE);
    await complete(officer, reg.number, CHECK_INVOICE, {
      findings: 'Prețul aplicat corespunde ofertei acceptate.',
      branch: 'pret',
    });
    await taskFor(officer, reg.number, ANALYZE);
  });

  it('refuses an unknown place to send a rejected answer back to, in Romanian', async () => {
    const reg = await register(`return-${Date.now()}@example.test`);
    const triage = await taskFor(officer, reg.number, 'Clasificarea și admisibilitatea reclamației');
    await t.app.inject({ method: 'POST', url: `/api/tasks/${triage.id}/claim`, headers: officer });
    const unknown = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${triage.id}/complete`,
      headers: officer,
      payload: { outcome: 'admissible', additionalCategories: ['nu_exista'] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      message:
        'Categoriile suplimentare trebuie alese dintre categoriile de plângeri din Ordinul ANRE nr. 16/2015.',
    });
    const ok = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${triage.id}/complete`,
      headers: officer,
      payload: { outcome: 'admissible' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    await complete(officer, reg.number, CHECK_INVOICE, {
      findings: 'Prețul aplicat corespunde ofertei acceptate.',
      branch: 'pret',
    });
    await complete(officer, reg.number, ANALYZE, { findings: 'Factura este corectă în toate componentele.' });
    await complete(officer, reg.number, DRAFT, { answerText: 'Stimate client, factura este corectă.' });
    const task = await taskFor(supervisor, reg.number, APPROVE);
    await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/claim`, headers: supervisor });
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${task.id}/complete`,
      headers: supervisor,
      payload: { approved: false, returnTo: 'triage', comment: 'Reluați tot dosarul de la început.' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      message: 'Alegeți unde se întoarce răspunsul: la redactare sau la verificare.',
    });
    // Nothing moved: the approval is still open.
    expect((await openTasks(supervisor, reg.number)).map((x) => x.name)).toContain(APPROVE);
  });
});
