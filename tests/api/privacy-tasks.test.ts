import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

type Headers = { authorization: string };

interface Item {
  id: string;
  name: string;
  taskDefinitionKey: string;
  deadline: string | null;
  gdprRequest: { number: string; right: string; status: string; dueDate: string; extended: boolean } | null;
  case: { number: string } | null;
}
interface Dispatch {
  id: number;
  source: string;
  caseNumber: string;
  documentId: number;
  documentKind: string;
  documentSha256: string;
  recipientName: string;
  address: string;
}

/**
 * A GDPR request's task (process verify-gdpr, job role DPO) in the inbox and on the task API, the supervisor's
 * views with such tasks open, complaint statistics without GDPR requests, and GDPR letters for people without
 * e-mail in the postal dispatch register. Real engine, real inbox read model (its event consumer).
 */
describe('GDPR requests in the inbox, the supervisor views and the postal register', () => {
  let t: TestContext;
  let agent: Headers;
  let officer: Headers;
  let dpo: Headers;
  let supervisor: Headers;
  let acme: Headers;

  beforeAll(async () => {
    t = await createTestContext();
    [agent, officer, dpo, supervisor] = await Promise.all([
      t.login('agent@demo.local'),
      t.login('officer@demo.local'),
      t.login('legal@demo.local'),
      t.login('supervisor@demo.local'),
    ]);
    const [acmeOfficer] = await t.db.execute<{ email: string }>(
      sql`select email from users where tenant_id = ${t.acmeTenantId} and 'supervisor' = any(roles) limit 1`,
    );
    acme = await t.login(acmeOfficer!.email);
  }, 120_000);
  afterAll(async () => t?.close());

  const get = (url: string, headers: Headers) => t.app.inject({ method: 'GET', url, headers });
  const post = (url: string, headers: Headers, payload?: object) =>
    t.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

  /** A request by phone from someone without an e-mail address and without a customer account. */
  const registerByPhone = async (right = 'access') => {
    const r = await post('/api/privacy/requests', agent, {
      right,
      channel: 'call_center',
      contactName: 'Ioana Stan',
      contactPhone: '0722123456',
      details: 'Cere o copie a datelor personale pe care le deține furnizorul.',
    });
    expect(r.statusCode).toBe(201);
    return r.json<{ id: string; number: string; dueDate: string }>();
  };

  const gdprRowOf = async (number: string, headers: Headers, view: string) => {
    const r = await get(`/api/tasks?view=${view}&limit=100`, headers);
    expect(r.statusCode).toBe(200);
    return r.json<{ items: Item[] }>().items.find((i) => i.gdprRequest?.number === number);
  };

  it("shows a GDPR task in the DPO's inbox with the request's number and right, opens it without a case, and sends its decision to the DPO's page", async () => {
    const req = await registerByPhone('erasure');
    expect(req.number).toMatch(/^DEMO-GDPR-\d{4}-\d{6}$/);

    const row = await waitFor(async () => {
      const found = await gdprRowOf(req.number, dpo, 'groups');
      expect(found).toBeDefined();
      return found!;
    });
    expect(row.gdprRequest).toEqual({
      number: req.number,
      right: 'erasure',
      status: 'open',
      dueDate: req.dueDate,
      extended: false,
    });
    // Not a complaint: no case on the row, and the deadline badge follows the request's month.
    expect(row.case).toBeNull();
    expect(row.deadline).toBe('on_time');
    expect(row.taskDefinitionKey).toBe('dataSubjectRequest');
    // Searching the inbox by the request's number finds it.
    const byNumber = await get(`/api/tasks?view=groups&q=${req.number}`, dpo);
    expect(byNumber.json<{ items: Item[] }>().items.map((i) => i.id)).toEqual([row.id]);

    // Opening the task: 200 with the request, no case.
    const task = await get(`/api/tasks/${row.id}`, dpo);
    expect(task.statusCode).toBe(200);
    expect(task.json()).toMatchObject({
      caseNumber: null,
      gdprRequest: { number: req.number, right: 'erasure', status: 'open' },
    });
    // Claiming works; the complaint form does not apply and says where the decision is taken.
    expect((await post(`/api/tasks/${row.id}/claim`, dpo)).statusCode).toBe(200);
    const complete = await post(`/api/tasks/${row.id}/complete`, dpo, { findings: 'Verificat.' });
    expect(complete.statusCode).toBe(409);
    expect(complete.json()).toMatchObject({ code: 'GDPR_TASK_ON_PRIVACY_PAGE' });
    expect(complete.json<{ message: string }>().message).toContain('Protecția datelor');

    // The supervisor sees it in "all" the same way, and the task opens for them too.
    const all = await waitFor(async () => {
      const found = await gdprRowOf(req.number, supervisor, 'all');
      expect(found).toBeDefined();
      return found!;
    });
    expect(all.case).toBeNull();
    expect((await get(`/api/tasks/${row.id}`, supervisor)).statusCode).toBe(200);
    // Other staff without the DPO role do not see it, and another tenant cannot open it.
    expect(await gdprRowOf(req.number, officer, 'groups')).toBeUndefined();
    expect((await get(`/api/tasks/${row.id}`, acme)).statusCode).toBe(404);

    // The DPO's extension moves the task's due date; the answer closes it and it leaves the inbox.
    const ext = await post(`/api/privacy/requests/${req.number}/extend`, dpo, {
      months: 1,
      reason: 'Datele sunt în mai multe sisteme vechi.',
    });
    expect(ext.statusCode).toBe(200);
    const extended = await waitFor(async () => {
      const found = await gdprRowOf(req.number, dpo, 'groups');
      expect(found?.gdprRequest?.extended).toBe(true);
      return found!;
    });
    expect(extended.gdprRequest!.dueDate).toBe(ext.json<{ dueDate: string }>().dueDate);
    const answer = await post(`/api/privacy/requests/${req.number}/answer`, dpo, {
      answerText: 'Datele dumneavoastră au fost verificate conform cererii.',
    });
    expect(answer.statusCode).toBe(200);
    await waitFor(async () => {
      expect(await gdprRowOf(req.number, dpo, 'groups')).toBeUndefined();
      expect(await gdprRowOf(req.number, dpo, 'mine')).toBeUndefined();
      return true;
    });
  });

  it("keeps the supervisor's views working with GDPR tasks open, and never counts a GDPR request as a complaint", async () => {
    const req = await registerByPhone('objection');
    await waitFor(async () => gdprRowOf(req.number, dpo, 'groups'));
    const cases = await get('/api/supervision/cases', supervisor);
    expect(cases.statusCode).toBe(200);
    expect(JSON.stringify(cases.json())).not.toContain(req.number);
    const workload = await get('/api/supervision/workload', supervisor);
    expect(workload.statusCode).toBe(200);
    const dpoRole = workload
      .json<{ roles: Array<{ code: string; open: number }> }>()
      .roles.find((r) => r.code === 'DPO');
    expect(dpoRole?.open).toBeGreaterThanOrEqual(1);
    expect((await get('/api/supervision/incidents', supervisor)).statusCode).toBe(200);

    // A complaint case found to be a GDPR request leaves the complaint statistics (counted by registration day,
    // which is the next working day for a complaint received after hours).
    const c = await post('/api/complaints', agent, {
      contactName: 'Mihai Pop',
      contactPhone: '0733111222',
      category: 'facturare',
      subject: 'Vreau să știu ce date aveți despre mine',
      body: 'Vă rog să îmi spuneți ce date personale prelucrați despre mine.',
    });
    expect(c.statusCode).toBe(201);
    const [reg] = await t.db.execute<{ registered_on: string }>(
      sql`select registered_on::text from cases where number = ${c.json<{ number: string }>().number}`,
    );
    const day = reg!.registered_on;
    const stats = async () => {
      const r = await get(`/api/supervision/stats?from=${day}&to=${day}`, supervisor);
      expect(r.statusCode).toBe(200);
      return r.json<{ total: number; byCategory: Array<{ key: string; count: number }> }>();
    };
    const before = await stats();
    const converted = await post('/api/privacy/requests/from-case', officer, {
      caseNumber: c.json<{ number: string }>().number,
      right: 'access',
    });
    expect(converted.statusCode).toBe(201);
    const after = await stats();
    expect(after.total).toBe(before.total - 1);
    const billing = (s: typeof before) => s.byCategory.find((x) => x.key === 'facturare')!.count;
    expect(billing(after)).toBe(billing(before) - 1);
  });

  it('queues the letters of a person without e-mail in the postal register, where the post room prints and records them', async () => {
    const req = await registerByPhone('access');
    const pending = async () => {
      const r = await get('/api/postal-dispatches?pending=true', officer);
      expect(r.statusCode).toBe(200);
      return r.json<{ items: Dispatch[] }>().items.filter((d) => d.caseNumber === req.number);
    };
    const [ack] = await pending();
    expect(ack).toMatchObject({
      source: 'gdpr_request',
      documentKind: 'gdpr_acknowledgement',
      recipientName: 'Ioana Stan',
      address: '(adresă necunoscută: se completează din dosar)',
    });

    // The post room downloads the very letter the DPO's page holds (same bytes), and the read is logged.
    const letter = await get(`/api/privacy/postal-letters/${ack!.id}`, officer);
    expect(letter.statusCode).toBe(200);
    expect(letter.headers['content-type']).toBe('application/pdf');
    expect(createHash('sha256').update(letter.rawPayload).digest('hex')).toBe(ack!.documentSha256);
    const detail = await get(`/api/privacy/requests/${req.number}`, dpo);
    const doc = detail.json<{ documents: Array<{ id: number; kind: string; sha256: string }> }>()
      .documents[0]!;
    expect(doc).toMatchObject({ id: ack!.documentId, kind: 'acknowledgement', sha256: ack!.documentSha256 });
    const [logged] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from personal_data_access
          where subject_type = 'document' and subject_id = ${`dsr:${doc.id}`} and via = ${`postal:${ack!.id}`}`,
    );
    expect(logged?.n).toBe(1);
    // Not for the call-center agent, not for another tenant, not a case letter through this door.
    expect((await get(`/api/privacy/postal-letters/${ack!.id}`, agent)).statusCode).toBe(403);
    expect((await get(`/api/privacy/postal-letters/${ack!.id}`, acme)).statusCode).toBe(404);
    expect((await get('/api/postal-dispatches', acme)).json<{ items: Dispatch[] }>().items).toEqual([]);

    // Posting is recorded as for any letter.
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/postal-dispatches/${ack!.id}`,
      headers: officer,
      payload: { dispatchedAt: new Date().toISOString(), postalReference: 'RR123456789RO' },
    });
    expect(patch.statusCode).toBe(200);
    expect(await pending()).toEqual([]);

    // The extension notice and the answer follow the same way, once each.
    expect(
      (
        await post(`/api/privacy/requests/${req.number}/extend`, dpo, {
          months: 2,
          reason: 'Cererea privește înregistrări din mai mulți ani.',
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await post(`/api/privacy/requests/${req.number}/answer`, dpo, {
          answerText: 'Vă transmitem copia datelor personale, pe hârtie.',
        })
      ).statusCode,
    ).toBe(200);
    expect((await pending()).map((d) => d.documentKind).sort()).toEqual([
      'gdpr_answer',
      'gdpr_extension_notice',
    ]);
    const [audit] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'gdpr_request.letter_postal' and entity_id = ${req.id}`,
    );
    expect(audit?.n).toBe(3);

    // Someone who gave an e-mail address gets the letters by e-mail: nothing for the post.
    const byMail = await post('/api/privacy/requests', agent, {
      right: 'rectification',
      channel: 'call_center',
      contactName: 'Dan Ene',
      contactEmail: 'dan.ene@example.ro',
      details: 'Adresa din contract este greșită și trebuie corectată.',
    });
    expect(byMail.statusCode).toBe(201);
    const all = await get('/api/postal-dispatches', officer);
    expect(
      all
        .json<{ items: Dispatch[] }>()
        .items.filter((d) => d.caseNumber === byMail.json<{ number: string }>().number),
    ).toEqual([]);
  });
});
