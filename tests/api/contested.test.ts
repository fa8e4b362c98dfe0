import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../server/db/schema/index.ts';
import { businessClock, nextWorkingDay } from '../../server/deadlines/calendar.ts';
import { createCase } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { completeTask, taskFor as taskOf, type Headers } from '../helpers/tasks.ts';
import { waitFor } from '../helpers/wait.ts';
import { readMailbox } from '../helpers/mailbox.ts';

/**
 * Issue 4 leftovers through the real API, engine, workers and mail server: the consumer contests the answer (a
 * linked new case routed to IL-34, the original unaltered), the warning e-mail to the task holders, and the
 * versions (content hashes) of every process and instruction a case ran under.
 */
describe('contested answers, deadline warnings and case versions', { timeout: 180_000 }, () => {
  let t: TestContext;
  let officer: Headers;
  let supervisor: Headers;
  let agent: Headers;
  let designer: Headers;
  let acme: Headers;

  beforeAll(async () => {
    t = await createTestContext({ workers: true, taskEvents: true });
    [officer, supervisor, agent, designer] = await Promise.all([
      t.login('officer@demo.local'),
      t.login('supervisor@demo.local'),
      t.login('agent@demo.local'),
      t.login('designer@demo.local'),
    ]);
    const [acmeUser] = await t.db.execute<{ email: string }>(
      `select email from users where tenant_id = '${t.acmeTenantId}' and email like 'officer-%'`,
    );
    acme = await t.login(acmeUser!.email);
  });
  afterAll(async () => t?.close());

  const taskFor = (headers: Headers, number: string, name: string) =>
    taskOf(t, headers, number, name, 60_000);
  const complete = (headers: Headers, number: string, name: string, payload: Record<string, unknown>) =>
    completeTask(t, headers, number, name, payload, 60_000);

  /** Maria Ionescu's billing complaint by phone (no place named), answered to `email`. */
  const register = (email: string, receivedAt?: Date) =>
    createCase(t, {
      subject: 'Factură prea mare',
      body: 'Factura din octombrie este mult prea mare față de consumul meu obișnuit.',
      place: null,
      contactEmail: email,
      receivedAt,
    });

  /** Walks a billing complaint to its approved answer (the answer is then e-mailed and the case closes). */
  async function answer(number: string) {
    await complete(officer, number, 'Clasificarea și admisibilitatea reclamației', { outcome: 'admissible' });
    await complete(officer, number, 'Verificarea facturii contestate', {
      findings: 'Factura este corectă, prețul corespunde ofertei.',
      branch: 'pret',
    });
    await complete(officer, number, 'Analiza reclamației și nota de constatare', {
      findings: 'Factura este corectă; clientul a consumat mai mult în octombrie.',
    });
    await complete(officer, number, 'Redactarea răspunsului către client', {
      answerText: 'Factura este corectă. Vă cerem scuze pentru întârzierea răspunsului.',
    });
    await complete(supervisor, number, 'Aprobarea răspunsului', { approved: true });
  }

  const caseRow = async (number: string) =>
    (
      await t.db
        .select()
        .from(cases)
        .where(and(eq(cases.tenantId, t.demoTenantId), eq(cases.number, number)))
    )[0]!;

  it('warns the task holders by e-mail in Romanian when the warning timer fires', async () => {
    // Received long enough ago that its due date is the next working day: the warning is due now, while the case
    // still waits for triage (the legal clock watches every step, not only the handling).
    const target = nextWorkingDay(businessClock(new Date()).date);
    let receivedAt: Date | null = null;
    for (let k = 10; k < 40 && !receivedAt; k++) {
      const at = new Date(Date.now() - k * 24 * 3600e3);
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/deadlines/preview?category=facturare&receivedAt=${encodeURIComponent(at.toISOString())}`,
        headers: officer,
      });
      if (res.json<{ dueDate: string }>().dueDate === target) receivedAt = at;
    }
    expect(receivedAt).not.toBeNull();
    const reg = await register(`late-${Date.now()}@example.test`, receivedAt!);
    // The warning goes to whoever holds the case's open task then (triage: the RSP officers), or, while no task is
    // open yet (the acknowledgement still on its way), to the head of service.
    const warned = await waitFor(async () => {
      for (const box of ['officer@demo.local', 'supervisor@demo.local']) {
        const found = (await readMailbox(box)).find((m) => m.messageId?.includes(reg.id));
        if (found) return found;
      }
      return null;
    }, 60_000);
    expect(warned.subject).toBe(`Termen aproape de expirare: reclamația nr. ${reg.number}`);
    expect(warned.text).toContain(`expiră pe ${reg.dueDate.split('-').reverse().join('.')}`);
    expect(warned.text).toMatch(
      /Sarcini deschise: Clasificarea și admisibilitatea reclamației|nu are acum o sarcină deschisă/,
    );
    const to = (Array.isArray(warned.to) ? warned.to : [warned.to]).flatMap((a) => a?.value ?? []);
    expect(to.length).toBeGreaterThan(0);
    // Nobody of another tenant.
    expect(to.every((a) => a.address?.endsWith('@demo.local'))).toBe(true);
    const c = await caseRow(reg.number);
    const { rows } = {
      rows: await t.db.execute(`select kind, to_address from case_messages where case_id = '${c.id}'`),
    };
    expect(rows.filter((r) => String(r.kind).startsWith('deadline_warning.')).length).toBe(1);
  });

  it('records the content hashes of the called sub-processes and the instructions when the case ends', async () => {
    const { number } = await register(`versions-${Date.now()}@example.test`);
    // While the case runs, the versions are computed from the engine (not yet recorded).
    const running = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${number}/versions`,
      headers: supervisor,
    });
    expect(running.statusCode, running.body).toBe(200);
    expect(running.json<{ recorded: boolean }>().recorded).toBe(false);
    await answer(number);
    const closed = await waitFor(async () => {
      const c = await caseRow(number);
      return c.status === 'closed' && c.processVersions ? c : null;
    }, 60_000);
    const v = closed.processVersions!;
    expect(Object.keys(v.processes)).toEqual(
      expect.arrayContaining(['complaint', 'complaint-handling', 'verify-billing']),
    );
    for (const p of Object.values(v.processes)) expect(p.hash).toMatch(/^[0-9a-f]{64}$/);
    // The main process hash recorded at start is the one recorded at the end.
    expect(v.processes.complaint!.hash).toBe(closed.processHash);
    // The sub-process hash is the SHA-256 of what the engine deployed.
    const { createHash } = await import('node:crypto');
    const xml = await t.engine.getBpmnXml(v.processes['verify-billing']!.definitionId);
    expect(v.processes['verify-billing']!.hash).toBe(createHash('sha256').update(xml).digest('hex'));
    expect(Object.keys(v.instructions).length).toBeGreaterThan(5);
    for (const h of Object.values(v.instructions)) expect(h).toMatch(/^[0-9a-f]{64}$/);
    const api = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${number}/versions`,
      headers: officer,
    });
    expect(api.json<{ recorded: boolean; processes: object }>()).toMatchObject({
      recorded: true,
      processes: v.processes,
    });
    // Another tenant does not see it.
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${number}/versions`,
      headers: acme,
    });
    expect(other.statusCode).toBe(404);
  });

  it('registers a contestation as a linked new case routed to IL-34; the original stays as it was', async () => {
    const { number } = await register(`contested-${Date.now()}@example.test`);
    await answer(number);
    // Closed, with its versions recorded: nothing changes the case after that.
    const before = await waitFor(async () => {
      const c = await caseRow(number);
      return c.status === 'closed' && c.processVersions ? c : null;
    }, 60_000);

    // Bad input and the wrong people are refused with a reason.
    const short = await t.app.inject({
      method: 'POST',
      url: `/api/complaints/${number}/contestations`,
      headers: agent,
      payload: { body: 'nu' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json<{ message: string }>().message).toBe(
      'Descrieți pe scurt ce contestă consumatorul (cel puțin 10 caractere).',
    );
    const byDesigner = await t.app.inject({
      method: 'POST',
      url: `/api/complaints/${number}/contestations`,
      headers: designer,
      payload: { body: 'Nu sunt de acord cu răspunsul primit.' },
    });
    expect(byDesigner.statusCode).toBe(403);
    const fromAcme = await t.app.inject({
      method: 'POST',
      url: `/api/complaints/${number}/contestations`,
      headers: acme,
      payload: { body: 'Nu sunt de acord cu răspunsul primit.' },
    });
    expect(fromAcme.statusCode).toBe(404);

    const res = await t.app.inject({
      method: 'POST',
      url: `/api/complaints/${number}/contestations`,
      headers: agent,
      payload: {
        channel: 'call_center',
        body: 'Nu sunt de acord cu răspunsul: consumul facturat nu este al meu.',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const contest = res.json<{ number: string; contests: { number: string }; processStarted: boolean }>();
    expect(contest.contests.number).toBe(number);
    expect(contest.number).not.toBe(number);
    const row = await caseRow(contest.number);
    expect(row.category).toBe('solutionare_plangeri');
    expect(row.contestsCaseId).toBe(before.id);
    expect(row.customerId).toBe(before.customerId);
    expect(row.subject).toBe(`Contestarea răspunsului la reclamația nr. ${number}`);

    // The original is unaltered.
    const after = await caseRow(number);
    expect(after).toEqual(before);

    // Both cases show the link.
    const fromNew = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${contest.number}/links`,
      headers: officer,
    });
    expect(fromNew.json()).toMatchObject({ contests: { number, status: 'closed' }, contestedBy: [] });
    const fromOld = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${number}/links`,
      headers: officer,
    });
    expect(fromOld.json()).toMatchObject({ contests: null, contestedBy: [{ number: contest.number }] });
    const acmeLinks = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${number}/links`,
      headers: acme,
    });
    expect(acmeLinks.statusCode).toBe(404);

    // The DMN routes it to the review of the earlier complaint (IL-34).
    await complete(officer, contest.number, 'Clasificarea și admisibilitatea reclamației', {
      outcome: 'admissible',
    });
    const engineTasks = await waitFor(async () => {
      const ts = await t.engine.queryTasks(
        { tenantIdIn: [t.demoTenantId], processInstanceBusinessKey: contest.number },
        { firstResult: 0, maxResults: 20 },
      );
      return ts.length && !ts.some((x) => x.name === 'Clasificarea și admisibilitatea reclamației')
        ? ts
        : null;
    }, 60_000);
    expect(engineTasks.map((x) => x.taskDefinitionKey)).toContain('reviewPrevious');
    const review = await taskFor(
      supervisor,
      contest.number,
      'Analiza plângerii redeschise / contestației la răspuns',
    );
    const detail = await t.app.inject({ method: 'GET', url: `/api/tasks/${review.id}`, headers: supervisor });
    expect(detail.body).toContain('IL-34');
  });

  it('refuses to contest a case whose answer has not gone out yet', async () => {
    const open = await register(`open-${Date.now()}@example.test`);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/complaints/${open.number}/contestations`,
      headers: officer,
      payload: { body: 'Nu sunt de acord cu răspunsul primit.' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ message: string }>().message).toBe(
      'Răspunsul poate fi contestat numai după ce a fost transmis consumatorului.',
    );
  });
});
