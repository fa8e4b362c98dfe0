import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import { ensureUser } from '../../server/seed/tenant-setup.ts';
import { runRetention } from '../../server/retention/index.ts';
import { addMonths } from '../../server/privacy/dsr.service.ts';
import { businessClock } from '../../server/deadlines/calendar.ts';
import { issueAcknowledgementLetter } from '../../server/cases/index.ts';
import { getTenant } from '../../server/tenants/tenants.repo.ts';
import { loginConsumer } from './portal-helpers.ts';
import { logCaseAccess } from '../../server/audit/index.ts';
import { readMailbox } from '../helpers/mailbox.ts';

type Headers = { authorization: string };

/** The database's own message of a refused statement (drizzle wraps it in `cause`). */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (err) {
    const e = err as Error & { cause?: Error };
    return `${e.message} ${e.cause?.message ?? ''}`;
  }
}
interface Dsr {
  number: string;
  dueDate: string;
  originalDueDate: string | null;
  status: string;
  outcome: string | null;
  refusalReason: string | null;
  countsAsComplaint: boolean;
  processStarted: boolean;
  erasure?: { erased: string[]; kept: string[] } | null;
}

describe('GDPR: data-subject requests, access log, export, retention, erasure', () => {
  let t: TestContext;
  let agent: Headers;
  let officer: Headers;
  let dpo: Headers;
  let acmeDpo: Headers;
  let customer: { id: string; name: string; places: Array<{ id: string }> };

  beforeAll(async () => {
    t = await createTestContext();
    await ensureUser(t.db, {
      tenantId: t.acmeTenantId,
      email: 'dpo-privacy@acme.local',
      name: 'Acme DPO',
      password: PASSWORD,
      roles: ['officer'],
      jobRoles: ['DPO'],
    });
    [agent, officer, dpo, acmeDpo] = await Promise.all([
      t.login('agent@demo.local'),
      t.login('officer@demo.local'),
      t.login('legal@demo.local'),
      t.login('dpo-privacy@acme.local'),
    ]);
    const r = await t.app.inject({
      method: 'GET',
      url: '/api/customers?q=Gheorghe Dumitrescu',
      headers: agent,
    });
    customer = r.json<{ items: Array<typeof customer> }>().items[0]!;
  }, 120_000);
  afterAll(async () => t?.close());

  const registerDsr = (payload: Record<string, unknown>, headers = agent) =>
    t.app.inject({ method: 'POST', url: '/api/privacy/requests', headers, payload });

  const registerComplaint = async (subject = 'Factură prea mare') => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/complaints',
      headers: agent,
      payload: {
        customerId: customer.id,
        placeId: customer.places[0]!.id,
        category: 'facturare',
        subject,
        body: 'Factura din luna trecută este de trei ori mai mare decât de obicei.',
      },
    });
    expect(r.statusCode).toBe(201);
    return r.json<{ id: string; number: string }>();
  };

  /** The case's acknowledgement letter, issued by the documents service the acknowledgement worker uses. */
  const acknowledgementOf = async (number: string) => {
    const tenant = (await getTenant(t.db, t.demoTenantId))!;
    const { doc } = await issueAcknowledgementLetter(t.db, tenant, number, {
      statusUrl: 'http://localhost/status',
      accessCode: 'ABCD1234',
    });
    return doc;
  };

  const openTaskOf = (number: string) =>
    t.engine.queryTasks(
      { tenantIdIn: [t.demoTenantId], processInstanceBusinessKey: number },
      { firstResult: 0, maxResults: 5 },
    );

  it('registers a GDPR request with its own number, due one month after receipt, handled by the DPO in its own process', async () => {
    const r = await registerDsr({
      right: 'access',
      channel: 'call_center',
      customerId: customer.id,
      details: 'Clientul cere o copie a tuturor datelor pe care le avem despre el.',
    });
    expect(r.statusCode).toBe(201);
    const d = r.json<Dsr>();
    expect(d.number).toMatch(/^DEMO-GDPR-\d{4}-\d{6}$/);
    expect(d.dueDate).toBe(addMonths(businessClock(new Date()).date, 1));
    expect(d.countsAsComplaint).toBe(false);
    expect(d.processStarted).toBe(true);
    const [task] = await openTaskOf(d.number);
    expect(task?.taskDefinitionKey).toBe('dataSubjectRequest');
    expect(await t.engine.getCandidateGroups(task!.id)).toEqual(['DPO']);
    // Not a complaint: nothing in the complaints' table or search.
    const [n] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from cases where number = ${d.number}`,
    );
    expect(n?.n).toBe(0);
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/privacy/requests/${d.number}`,
      headers: dpo,
    });
    expect(detail.statusCode).toBe(200);
    expect(detail.json<{ documents: Array<{ kind: string }> }>().documents.map((x) => x.kind)).toEqual([
      'acknowledgement',
    ]);

    // Extension by two months within the first month: notice issued, due date and the DPO's task move.
    const ext = await t.app.inject({
      method: 'POST',
      url: `/api/privacy/requests/${d.number}/extend`,
      headers: dpo,
      payload: { months: 2, reason: 'Cererea privește dosare din mai mulți ani și înregistrări de apel.' },
    });
    expect(ext.statusCode).toBe(200);
    const e = ext.json<Dsr>();
    expect(e.originalDueDate).toBe(d.dueDate);
    expect(e.dueDate).toBe(addMonths(businessClock(new Date()).date, 3));
    const moved = await waitFor(async () => {
      const [tk] = await openTaskOf(d.number);
      return tk && tk.id !== task!.id ? tk : null;
    });
    expect(moved.due?.slice(0, 10)).toBe(e.dueDate);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/privacy/requests/${d.number}/extend`,
      headers: dpo,
      payload: { months: 1, reason: 'Încă o prelungire, peste limită.' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: string }>().code).toBe('GDPR_ALREADY_EXTENDED');

    // The answer: letter issued, the process ends.
    const ans = await t.app.inject({
      method: 'POST',
      url: `/api/privacy/requests/${d.number}/answer`,
      headers: dpo,
      payload: { answerText: 'Vă transmitem în anexă exportul datelor dumneavoastră.' },
    });
    expect(ans.statusCode).toBe(200);
    expect(ans.json<Dsr>()).toMatchObject({ status: 'answered', outcome: 'granted' });
    await waitFor(async () => (await openTaskOf(d.number)).length === 0);
    const kinds = (
      await t.app.inject({ method: 'GET', url: `/api/privacy/requests/${d.number}`, headers: dpo })
    ).json<{ documents: Array<{ kind: string; id: number }> }>().documents;
    expect(kinds.map((x) => x.kind)).toEqual(['acknowledgement', 'extension_notice', 'answer']);
    const pdf = await t.app.inject({
      method: 'GET',
      url: `/api/privacy/requests/${d.number}/documents/${kinds[1]!.id}`,
      headers: dpo,
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('takes a GDPR request from the portal, from a consumer with a session: its own number, not a complaint', async () => {
    const consumer = await loginConsumer(t);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/portal/gdpr-requests',
      headers: { authorization: consumer.authorization },
      payload: {
        right: 'portability',
        contactName: 'Maria Ionescu',
        details: 'Vă rog să-mi trimiteți datele mele.',
      },
    });
    expect(r.statusCode).toBe(201);
    const d = r.json<{ number: string; dueDate: string; countsAsComplaint: boolean }>();
    expect(d.number).toMatch(/^DEMO-GDPR-\d{4}-\d{6}$/);
    expect(d.countsAsComplaint).toBe(false);
    const detail = await t.app.inject({
      method: 'GET',
      url: `/api/privacy/requests/${d.number}`,
      headers: dpo,
    });
    expect(detail.json<{ channel: string; contactEmail: string }>()).toMatchObject({
      channel: 'portal',
      contactEmail: consumer.email,
    });
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/portal/gdpr-requests',
      payload: { right: 'access', contactName: 'Cineva', details: 'Fără sesiune.' },
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses an extension once the first month has passed', async () => {
    const ioana = `ioana.pop.${randomBytes(4).toString('hex')}@example.ro`;
    const receivedAt = new Date(Date.now() - 40 * 86_400_000).toISOString();
    const r = await registerDsr({
      right: 'rectification',
      channel: 'staff',
      contactName: 'Ioana Pop',
      contactEmail: ioana,
      details: 'Scrisoare primită prin poștă: adresa mea s-a schimbat.',
      receivedAt,
    });
    expect(r.statusCode).toBe(201);
    const d = r.json<Dsr>();
    expect(d.dueDate).toBe(addMonths(businessClock(new Date(receivedAt)).date, 1));
    // The acknowledgement reaches the person by e-mail, the PDF letter attached.
    const mails = await waitFor(async () => {
      const m = await readMailbox(ioana);
      return m.length ? m : null;
    });
    expect(mails[0]!.subject).toBe(
      `Am primit cererea dumneavoastră privind datele personale – nr. ${d.number}`,
    );
    expect(mails[0]!.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
    const ext = await t.app.inject({
      method: 'POST',
      url: `/api/privacy/requests/${d.number}/extend`,
      headers: dpo,
      payload: { months: 1, reason: 'Prea târziu pentru o prelungire.' },
    });
    expect(ext.statusCode).toBe(409);
    expect(ext.json<{ code: string; message: string }>()).toMatchObject({
      code: 'GDPR_EXTENSION_LATE',
      message: expect.stringContaining('prima lună'),
    });
  });

  it('turns a misfiled complaint case into a GDPR request; the case is filed and never counted as a complaint', async () => {
    const c = await registerComplaint('Ștergeți-mi datele');
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/privacy/requests/from-case',
      headers: officer,
      payload: { caseNumber: c.number, right: 'objection' },
    });
    expect(r.statusCode).toBe(201);
    const [row] = await t.db.execute<{ kind: string; status: string; received_at: Date }>(
      sql`select kind, status, received_at from cases where id = ${c.id}`,
    );
    expect(row).toMatchObject({ kind: 'gdpr_request', status: 'filed' });
    expect(r.json<Dsr>().dueDate).toBe(addMonths(businessClock(new Date(row!.received_at)).date, 1));
  });

  it('turns a quarantined e-mail into a GDPR request; the month runs from its arrival and the quarantine is resolved', async () => {
    const arrivedAt = new Date(Date.now() - 3 * 86_400_000);
    const [q] = await t.db.execute<{ id: number }>(sql`
      insert into mail_quarantine (tenant_id, subject, from_address, reason, folder, arrived_at)
      values (${t.demoTenantId}, 'Date personale', 'ana.marin@example.ro', 'mesaj MIME ilizibil', 'Quarantine', ${arrivedAt.toISOString()}::timestamptz)
      returning id`);
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/privacy/requests/from-quarantine',
      headers: officer,
      payload: { quarantineId: q!.id, right: 'access', details: 'Solicită copia datelor personale.' },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json<Dsr>().dueDate).toBe(addMonths(businessClock(arrivedAt).date, 1));
    const [row] = await t.db.execute<{ resolution: string; resolution_note: string }>(
      sql`select resolution, resolution_note from mail_quarantine where id = ${q!.id}`,
    );
    expect(row).toMatchObject({
      resolution: 'handled',
      resolution_note: `cerere GDPR ${r.json<Dsr>().number}`,
    });
    // Only once.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/privacy/requests/from-quarantine',
      headers: officer,
      payload: { quarantineId: q!.id, right: 'access', details: 'Solicită copia datelor personale.' },
    });
    expect(again.statusCode).toBe(404);
  });

  it('only the DPO sees GDPR requests, the access log, the export and the retention setting (403 for others)', async () => {
    for (const url of [
      '/api/privacy/requests',
      '/api/privacy/access-log',
      `/api/privacy/export?customerId=${customer.id}`,
      '/api/privacy/retention',
    ]) {
      for (const headers of [agent, officer]) {
        const r = await t.app.inject({ method: 'GET', url, headers });
        expect(r.statusCode, url).toBe(403);
        expect(r.json<{ code: string }>().code).toBe('GDPR_DPO_ONLY');
      }
    }
  });

  it("another tenant's DPO sees none of this tenant's requests, access log or people", async () => {
    const own = await registerDsr({
      right: 'access',
      channel: 'call_center',
      customerId: customer.id,
      details: 'Cerere de acces pentru verificarea izolării.',
    });
    const list = await t.app.inject({ method: 'GET', url: '/api/privacy/requests', headers: acmeDpo });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: Dsr[] }>().items.filter((i) => i.number.startsWith('DEMO-'))).toEqual([]);
    const one = await t.app.inject({
      method: 'GET',
      url: `/api/privacy/requests/${own.json<Dsr>().number}`,
      headers: acmeDpo,
    });
    expect(one.statusCode).toBe(404);
    const log = await t.app.inject({ method: 'GET', url: '/api/privacy/access-log', headers: acmeDpo });
    expect(log.json<{ items: unknown[] }>().items).toEqual([]);
    const exp = await t.app.inject({
      method: 'GET',
      url: `/api/privacy/export?customerId=${customer.id}`,
      headers: acmeDpo,
    });
    expect(exp.statusCode).toBe(404);
  });

  it('records every read of a case, a received message, a document and a customer, with who, about whom and why', async () => {
    const c = await registerComplaint('Citire dosar');
    // A received e-mail with an attachment on the case (as the intake stores it).
    const bytes = Buffer.from('copie factură');
    const sha = createHash('sha256').update(bytes).digest('hex');
    await t.db.execute(sql`insert into mail_blobs (tenant_id, sha256, size, content)
      values (${t.demoTenantId}, ${sha}, ${bytes.length}, ${bytes}) on conflict do nothing`);
    const [m] = await t.db.execute<{ id: string }>(sql`
      insert into inbound_messages (tenant_id, raw_sha256, dedupe_key, size, arrived_at, from_address, subject, text_body, kind, case_id)
      values (${t.demoTenantId}, ${sha}, ${'k-' + c.number}, 10, now(), 'gheorghe@example.ro', 'Factura', 'Vă trimit factura.', 'complaint', ${c.id})
      returning id`);
    const [a] = await t.db.execute<{ id: number }>(sql`
      insert into inbound_attachments (tenant_id, inbound_message_id, sha256, filename, content_type, size, disposition)
      values (${t.demoTenantId}, ${m!.id}, ${sha}, 'factura.txt', 'text/plain', ${bytes.length}, 'attachment') returning id`);
    const doc = await acknowledgementOf(c.number);

    const via = { ...officer, 'x-access-via': 'task:abc-123' };
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/complaints/${c.number}`, headers: via })).statusCode,
    ).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/complaints/${c.number}/attachments/${a!.id}`,
          headers: via,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/complaints/${c.number}/documents/${doc.id}?via=search:dosare`,
          headers: officer,
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/customers?q=Gheorghe Dumitrescu', headers: officer }))
        .statusCode,
    ).toBe(200);

    const byCase = await t.app.inject({
      method: 'GET',
      url: `/api/privacy/access-log?caseNumber=${c.number}`,
      headers: dpo,
    });
    expect(byCase.statusCode).toBe(200);
    const items = byCase.json<{
      items: Array<{
        subjectType: string;
        subjectId: string;
        via: string | null;
        customerId: string;
        actorId: string;
      }>;
    }>().items;
    expect(items.map((i) => [i.subjectType, i.via]).reverse()).toEqual([
      ['case', 'task:abc-123'],
      ['message', 'task:abc-123'],
      ['document', 'search:dosare'],
    ]);
    expect(items.every((i) => i.customerId === customer.id)).toBe(true);
    expect(items.find((i) => i.subjectType === 'message')?.subjectId).toBe(m!.id);
    const officerId = items[0]!.actorId;
    const byPerson = await t.app.inject({
      method: 'GET',
      url: `/api/privacy/access-log?customerId=${customer.id}&actorId=${officerId}&limit=10`,
      headers: dpo,
    });
    const kinds = byPerson.json<{ items: Array<{ subjectType: string; via: string | null }> }>().items;
    // No X-Access-Via and no ?via=: the row still says what led there, the route called.
    expect(kinds[0]).toMatchObject({ subjectType: 'customer', via: 'GET /api/customers' });
    // Append-only: the table refuses changes.
    expect(await failure(t.db.execute(sql`delete from personal_data_access`))).toMatch(/append-only/);
  }, 120_000);

  it('logs the messages a task shows in one insert, naming the customer the case is about', async () => {
    const c = await registerComplaint('Mesaje văzute din sarcină');
    const [officerRow] = await t.db.execute<{ id: string }>(
      sql`select id from users where email = 'officer@demo.local'`,
    );
    const ids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    await logCaseAccess(t.db, {
      tenantId: t.demoTenantId,
      actorId: officerRow!.id,
      subjectType: 'message',
      subjectIds: ids,
      caseId: c.id,
      via: 'task:t-1',
    });
    // Another tenant's case id never yields a row.
    await logCaseAccess(t.db, {
      tenantId: t.acmeTenantId,
      actorId: officerRow!.id,
      subjectType: 'message',
      subjectIds: ids,
      caseId: c.id,
    });
    const rows = await t.db.execute<{
      subject_id: string;
      customer_id: string;
      via: string;
      tenant_id: string;
    }>(
      sql`select subject_id, customer_id, via, tenant_id from personal_data_access where case_id = ${c.id} order by subject_id`,
    );
    expect(rows.map((r) => [r.subject_id, r.customer_id, r.via, r.tenant_id])).toEqual(
      ids.map((id) => [id, customer.id, 'task:t-1', t.demoTenantId]),
    );
  });

  /** The officer's access-log rows about one subject (or any subject of one type), oldest first. */
  const accessRows = (where: ReturnType<typeof sql>) =>
    t.db.execute<{
      subject_type: string;
      subject_id: string;
      customer_id: string | null;
      case_id: string | null;
      via: string;
    }>(
      sql`select a.subject_type, a.subject_id, a.customer_id, a.case_id, a.via from personal_data_access a
          join users u on u.id = a.actor_id where u.email = 'officer@demo.local' and ${where} order by a.id`,
    );

  it("logs the identification view: the case's contact and every candidate customer shown", async () => {
    const c = await registerComplaint('Identificare consumator');
    const before = await accessRows(sql`a.case_id = ${c.id}`);
    const r = await t.app.inject({ method: 'GET', url: `/api/identification/${c.number}`, headers: officer });
    expect(r.statusCode).toBe(200);
    const shown = r.json<{
      current: { customerId: string } | null;
      candidates: Array<{ customerId: string }>;
    }>();
    const after = await accessRows(sql`a.case_id = ${c.id}`);
    const added = after.slice(before.length);
    const customers = new Set([
      ...(shown.current ? [shown.current.customerId] : []),
      ...shown.candidates.map((x) => x.customerId),
    ]);
    expect(customers.has(customer.id)).toBe(true);
    expect(added.map((a) => [a.subject_type, a.subject_id, a.via])).toEqual([
      ['case', c.id, 'GET /api/identification/:number'],
      ...[...customers].map((id) => ['customer', id, 'GET /api/identification/:number']),
    ]);
  });

  it("logs the call center's view of a customer's earlier cases, one row per customer", async () => {
    await registerComplaint('Istoric la telefon');
    const agentRows = () =>
      t.db.execute<{ subject_type: string; subject_id: string; customer_id: string; via: string }>(
        sql`select a.subject_type, a.subject_id, a.customer_id, a.via from personal_data_access a
            join users u on u.id = a.actor_id where u.email = 'agent@demo.local' and a.customer_id = ${customer.id}
            order by a.id`,
      );
    const before = await agentRows();
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/call-center/earlier-cases?customerId=${customer.id}`,
      headers: { ...agent, 'x-access-via': 'call:istoric' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json<{ items: unknown[] }>().items.length).toBeGreaterThan(0);
    expect(
      (await agentRows()).slice(before.length).map((a) => [a.subject_type, a.subject_id, a.via]),
    ).toEqual([['customer', customer.id, 'call:istoric']]);
  });

  it('logs the case search: one row per case the page shows, with what led there', async () => {
    const c = await registerComplaint('Căutare în dosare jurnalizată');
    const before = await accessRows(sql`a.case_id = ${c.id}`);
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/complaints?q=${c.number}`,
      headers: { ...officer, 'x-access-via': 'search:dosare' },
    });
    expect(r.statusCode).toBe(200);
    const items = r.json<{ items: Array<{ number: string; contactName: string | null }> }>().items;
    expect(items.map((i) => i.number)).toEqual([c.number]);
    // The list does not grow a field it did not have: the customer id is only for the log.
    expect(Object.keys(items[0]!)).not.toContain('customerId');
    const after = await accessRows(sql`a.case_id = ${c.id}`);
    expect(
      after.slice(before.length).map((a) => [a.subject_type, a.subject_id, a.customer_id, a.via]),
    ).toEqual([['case', c.id, customer.id, 'search:dosare']]);
    // Without a header, the route called names the search.
    const plain = await t.app.inject({
      method: 'GET',
      url: `/api/complaints?q=${c.number}`,
      headers: officer,
    });
    expect(plain.statusCode).toBe(200);
    expect((await accessRows(sql`a.case_id = ${c.id}`)).at(-1)?.via).toBe('GET /api/complaints');
  });

  it('logs viewing and downloading a quarantined message, besides the change audit', async () => {
    const bytes = Buffer.from('From: ion.pop@example.ro\r\nSubject: Reclamatie\r\n\r\nFactura gresita.\r\n');
    const sha = createHash('sha256').update(bytes).digest('hex');
    await t.db.execute(sql`insert into mail_blobs (tenant_id, sha256, size, content)
      values (${t.demoTenantId}, ${sha}, ${bytes.length}, ${bytes}) on conflict do nothing`);
    const [q] = await t.db.execute<{ id: number }>(sql`
      insert into mail_quarantine (tenant_id, raw_sha256, subject, from_address, reason, folder)
      values (${t.demoTenantId}, ${sha}, 'Reclamatie', 'ion.pop@example.ro', 'mesaj MIME ilizibil', 'Quarantine')
      returning id`);
    const subject = sql`a.subject_id = ${`quarantine:${q!.id}`}`;
    expect(await accessRows(subject)).toEqual([]);
    const view = await t.app.inject({
      method: 'GET',
      url: `/api/quarantine/${q!.id}`,
      headers: { ...officer, 'x-access-via': 'page:carantina' },
    });
    expect(view.statusCode).toBe(200);
    const raw = await t.app.inject({ method: 'GET', url: `/api/quarantine/${q!.id}/raw`, headers: officer });
    expect(raw.statusCode).toBe(200);
    expect((await accessRows(subject)).map((a) => [a.subject_type, a.case_id, a.via])).toEqual([
      ['message', null, 'page:carantina'],
      ['message', null, 'GET /api/quarantine/:id/raw'],
    ]);
  });

  it('exports everything about a person as a ZIP of JSON plus the documents', async () => {
    // Its own data, whatever ran before: a case (read once by the officer, so the access log has it) and a request.
    const c = await registerComplaint('Pentru export');
    await acknowledgementOf(c.number);
    const read = await t.app.inject({ method: 'GET', url: `/api/complaints/${c.number}`, headers: officer });
    expect(read.statusCode).toBe(200);
    const asked = await registerDsr({
      right: 'access',
      channel: 'call_center',
      customerId: customer.id,
      details: 'Clientul cere o copie a datelor sale, pentru export.',
    });
    expect(asked.statusCode).toBe(201);
    const r = await t.app.inject({
      method: 'GET',
      url: `/api/privacy/export?customerId=${customer.id}`,
      headers: { ...dpo, 'x-access-via': 'gdpr:export' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(r.rawPayload));
    const names = Object.keys(files);
    expect(names).toEqual(
      expect.arrayContaining([
        'client.json',
        'dosare.json',
        'mesaje-primite.json',
        'documente.json',
        'cont-portal.json',
        'cereri-gdpr.json',
        'jurnal-acces.json',
      ]),
    );
    const client = JSON.parse(strFromU8(files['client.json']!)) as {
      name: string;
      locuriDeConsum: unknown[];
    };
    expect(client.name).toBe(customer.name);
    expect(client.locuriDeConsum.length).toBeGreaterThan(0);
    const dosare = JSON.parse(strFromU8(files['dosare.json']!)) as Array<{
      number: string;
      evenimente: unknown[];
    }>;
    expect(dosare.map((d) => d.number)).toContain(c.number);
    expect(dosare.find((d) => d.number === c.number)!.evenimente.length).toBeGreaterThan(0);
    const pdfs = names.filter((n) => n.startsWith(`documente/${c.number}/`));
    expect(pdfs.length).toBeGreaterThan(0);
    expect(strFromU8(files[pdfs[0]!]!.subarray(0, 5))).toBe('%PDF-');
    const requests = JSON.parse(strFromU8(files['cereri-gdpr.json']!)) as Array<{ right: string }>;
    expect(requests.map((x) => x.right)).toContain('access');
    const log = JSON.parse(strFromU8(files['jurnal-acces.json']!)) as Array<{ subjectType: string }>;
    expect(log.some((x) => x.subjectType === 'case')).toBe(true);
    // The export itself is in the access log.
    const after = await t.app.inject({
      method: 'GET',
      url: `/api/privacy/access-log?customerId=${customer.id}&limit=1`,
      headers: dpo,
    });
    expect(after.json<{ items: Array<{ subjectType: string; via: string }> }>().items[0]).toMatchObject({
      subjectType: 'export',
      via: 'gdpr:export',
    });
  }, 120_000);

  it('anonymises closed cases past the retention period (clock moved by data); statistics and the audit stay', async () => {
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/api/privacy/retention',
      headers: dpo,
      payload: { years: 2 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('RETENTION_YEARS_INVALID');
    const ok = await t.app.inject({
      method: 'PUT',
      url: '/api/privacy/retention',
      headers: dpo,
      payload: { years: 4 },
    });
    expect(ok.json()).toEqual({ years: 4 });

    const old = await registerComplaint('Dosar vechi');
    const recent = await registerComplaint('Dosar recent');
    const now = new Date();
    const yearsAgo = (y: number) => new Date(now.getTime() - y * 365.25 * 86_400_000).toISOString();
    await t.db.execute(
      sql`update cases set status = 'closed', closed_at = ${yearsAgo(4.2)}::timestamptz where id = ${old.id}`,
    );
    await t.db.execute(
      sql`update cases set status = 'closed', closed_at = ${yearsAgo(3.5)}::timestamptz where id = ${recent.id}`,
    );
    const [before] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from cases where tenant_id = ${t.demoTenantId} and category = 'facturare' and kind = 'complaint'`,
    );

    // A person with a GDPR request still open keeps their cases until it is answered (IL-38 step 4): this test's
    // own request, whatever the file's other tests left open.
    const pending = await registerDsr({
      right: 'access',
      channel: 'call_center',
      customerId: customer.id,
      details: 'Clientul cere o copie a datelor sale înainte de ștergerea dosarelor vechi.',
    });
    expect(pending.statusCode).toBe(201);
    expect(await runRetention(t.db, now)).not.toContain(old.number);
    const open = await t.app.inject({
      method: 'GET',
      url: '/api/privacy/requests?status=open',
      headers: dpo,
    });
    for (const q of open.json<{ items: Dsr[] }>().items) {
      const a = await t.app.inject({
        method: 'POST',
        url: `/api/privacy/requests/${q.number}/answer`,
        headers: dpo,
        payload: { answerText: 'Cererea a fost soluționată conform solicitării.' },
      });
      expect(a.statusCode).toBe(200);
    }
    const done = await runRetention(t.db, now);
    expect(done).toContain(old.number);
    expect(done).not.toContain(recent.number);

    const [o] = await t.db.execute<{
      contact_name: string;
      body: string;
      contact_email: string | null;
      customer_id: string | null;
      category: string;
      customer_type: string;
    }>(
      sql`select contact_name, body, contact_email, customer_id, category, customer_type from cases where id = ${old.id}`,
    );
    expect(o).toMatchObject({
      contact_name: '[date personale anonimizate]',
      body: '[date personale anonimizate]',
      contact_email: null,
      customer_id: null,
      category: 'facturare',
      customer_type: 'household',
    });
    const [r] = await t.db.execute<{ contact_name: string }>(
      sql`select contact_name from cases where id = ${recent.id}`,
    );
    expect(r!.contact_name).toBe(customer.name);
    const [after] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from cases where tenant_id = ${t.demoTenantId} and category = 'facturare' and kind = 'complaint'`,
    );
    expect(after!.n).toBe(before!.n);
    const [audit] = await t.db.execute<{ details: Record<string, unknown> }>(
      sql`select details from audit_log where action = 'case.anonymised' and entity_id = ${old.id}`,
    );
    expect(audit!.details.removedSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(audit!.details)).not.toContain(customer.name);
    // Its letters keep their place in the file but not their bytes.
    const [docSize] = await t.db.execute<{ n: number }>(
      sql`select coalesce(max(size), 0)::int as n from case_documents where case_id = ${old.id}`,
    );
    expect(docSize!.n).toBe(0);
    // Without the retention job's marker, received text stays immutable.
    expect(await failure(t.db.execute(sql`update cases set body = 'x' where id = ${recent.id}`))).toMatch(
      /immutable/,
    );
    // A second round has nothing more to do for it.
    expect(await runRetention(t.db, now)).not.toContain(old.number);
  }, 120_000);

  it('carries out an erasure where allowed and refuses the rest with the legal obligation to keep complaint records', async () => {
    const oldCase = await registerComplaint('Dosar foarte vechi');
    const openCase = await registerComplaint('Dosar în lucru');
    await t.db.execute(
      sql`update cases set status = 'closed', closed_at = now() - interval '40 months' where id = ${oldCase.id}`,
    );
    const reg = await registerDsr({
      right: 'erasure',
      channel: 'call_center',
      customerId: customer.id,
      details: 'Clientul cere ștergerea tuturor datelor sale.',
    });
    const d = reg.json<Dsr>();
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/privacy/requests/${d.number}/answer`,
      headers: dpo,
      payload: { answerText: 'Am analizat cererea dumneavoastră de ștergere a datelor.' },
    });
    expect(r.statusCode).toBe(200);
    const a = r.json<Dsr>();
    expect(a.outcome).toBe('partly_refused');
    expect(a.erasure!.erased).toContain(oldCase.number);
    expect(a.erasure!.kept).toContain(openCase.number);
    expect(a.refusalReason).toContain('Ordinul ANRE nr. 16/2015');
    expect(a.refusalReason).toContain('art. 17 alin. (3)');
    const [o] = await t.db.execute<{ contact_name: string }>(
      sql`select contact_name from cases where id = ${oldCase.id}`,
    );
    expect(o!.contact_name).toBe('[date personale anonimizate]');
    const [k] = await t.db.execute<{ contact_name: string }>(
      sql`select contact_name from cases where id = ${openCase.id}`,
    );
    expect(k!.contact_name).toBe(customer.name);
  }, 120_000);
});
