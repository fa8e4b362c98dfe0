import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, cases, inboundMessages, mailQuarantine } from '../../server/db/schema/index.ts';
import { putBlob } from '../../server/documents/index.ts';
import { recordQuarantine } from '../../server/intake/mail/inbound.repo.ts';
import { processInboundMail } from '../../server/intake/mail/process-message.ts';
import { createUser } from '../factories/index.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { messageId, OUR_SENDER, rfc822 } from './intake-helpers.ts';

type Headers = { authorization: string };

/**
 * Issue 3 leftover 1: what the intake could not process waits in quarantine for an intake officer: a list with
 * reason, sender, date and size, a text-only view, the raw .eml, then "register as complaint" or "handled" with a
 * reason. Nothing is deleted; every step is audited; another tenant sees nothing.
 */
// A story: the same two messages are listed open, read, then one registered and one handled, until none is open.
describe('/api/quarantine', { shuffle: false }, () => {
  let t: TestContext;
  let officer: Headers;
  let agent: Headers;
  let acme: Headers;
  const noSender = rfc822(
    { To: 'demo@reclamatii.local', Subject: 'Fără expeditor', 'Message-ID': messageId() },
    'Bună ziua, am o problemă cu factura. <script>alert(1)</script> Vă rog să mă sunați.',
  );
  const junk = Buffer.from([0x00, 0x01, 0xff, 0xfe, ...Buffer.from('\r\nresturi de mesaj\r\n')]);
  let noSenderId = 0;
  let junkId = 0;

  beforeAll(async () => {
    t = await createTestContext();
    officer = await t.login('officer@demo.local');
    agent = await t.login('agent@demo.local');
    const acmeEmail = `q-officer-${Date.now()}@acme.local`;
    await createUser(t, { tenantId: t.acmeTenantId, email: acmeEmail, name: 'Acme Q' });
    acme = await t.login(acmeEmail);
    const outcome = await processInboundMail(
      { db: t.db, engine: t.engine, secret: 's', log: silentLog, ownAddresses: [OUR_SENDER] },
      { id: t.demoTenantId, code: 'DEMO', intakeEmail: 'demo@reclamatii.local' },
      { raw: Buffer.from(noSender), arrivedAt: new Date('2026-11-20T08:30:00Z') },
    );
    expect(outcome).toMatchObject({ status: 'quarantine' });
    const sha = await putBlob(t.db, t.demoTenantId, junk);
    await recordQuarantine(t.db, {
      tenantId: t.demoTenantId,
      rawSha256: sha,
      size: junk.length,
      reason: 'unreadable MIME',
      folder: 'Quarantine',
      arrivedAt: new Date('2026-11-21T08:30:00Z'),
    });
    const rows = await t.db.select().from(mailQuarantine).where(eq(mailQuarantine.tenantId, t.demoTenantId));
    noSenderId = rows.find((r) => r.subject === 'Fără expeditor')!.id;
    junkId = rows.find((r) => r.reason === 'unreadable MIME')!.id;
  });
  afterAll(async () => t?.close());

  it('lists open messages with reason, sender, date and size; agents and other tenants get nothing', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/quarantine', headers: officer });
    expect(r.statusCode).toBe(200);
    const body = r.json<{ items: Array<Record<string, unknown>>; total: number }>();
    expect(body.total).toBe(2);
    const item = body.items.find((i) => i.id === noSenderId)!;
    expect(item).toMatchObject({
      reason: 'no sender address and no customer code',
      subject: 'Fără expeditor',
      size: Buffer.byteLength(noSender),
      arrivedAt: '2026-11-20T08:30:00.000Z',
      status: 'open',
      resolution: null,
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/quarantine', headers: agent })).statusCode).toBe(
      403,
    );
    const other = await t.app.inject({ method: 'GET', url: '/api/quarantine', headers: acme });
    expect(other.json()).toEqual({ items: [], total: 0 });
    const cross = await t.app.inject({ method: 'GET', url: `/api/quarantine/${noSenderId}`, headers: acme });
    expect(cross.statusCode).toBe(404);
    expect(cross.json()).toMatchObject({
      code: 'QUARANTINE_NOT_FOUND',
      message: 'Mesajul din carantină nu există.',
    });
  });

  it('shows text only (never HTML), the raw bytes as received, and audits both', async () => {
    const r = await t.app.inject({ method: 'GET', url: `/api/quarantine/${noSenderId}`, headers: officer });
    expect(r.statusCode).toBe(200);
    const d = r.json<{ text: string; parsed: boolean; headers: { subject: string } }>();
    expect(d.parsed).toBe(true);
    expect(d.headers.subject).toBe('Fără expeditor');
    expect(d.text).toContain('am o problemă cu factura');
    const j = await t.app.inject({ method: 'GET', url: `/api/quarantine/${junkId}`, headers: officer });
    expect(j.json()).toMatchObject({ parsed: false });
    expect(j.json<{ text: string }>().text).toContain('resturi de mesaj');
    expect(j.json<{ text: string }>().text).not.toContain('\u0000');

    const raw = await t.app.inject({ method: 'GET', url: `/api/quarantine/${junkId}/raw`, headers: officer });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toBe('message/rfc822');
    expect(raw.headers['content-disposition']).toBe(`attachment; filename="carantina-${junkId}.eml"`);
    expect(raw.rawPayload.equals(junk)).toBe(true);

    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, t.demoTenantId), eq(auditLog.entityType, 'mail_quarantine')));
    const actions = audit.map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['quarantine.listed', 'quarantine.viewed', 'quarantine.downloaded']),
    );
  });

  it('registers a message as an e-mail complaint once, with what the officer completed', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/quarantine/${noSenderId}/registration`,
      headers: officer,
      payload: { subject: 'Factură', body: 'Prea scurt' },
    });
    expect(bad.statusCode).toBe(400);
    const payload = {
      category: 'facturare',
      subject: 'Factură contestată (din carantină)',
      body: 'Petentul contestă factura; a revenit telefonic cu datele de contact.',
      contactName: 'Ana Petrescu',
      contactPhone: '0744 000 111',
    };
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/quarantine/${noSenderId}/registration`,
      headers: officer,
      payload,
    });
    expect(r.statusCode, r.body).toBe(201);
    const { number } = r.json<{ number: string }>();
    expect(number).toMatch(/^DEMO-\d{4}-\d{6}$/);
    const [c] = await t.db.select().from(cases).where(eq(cases.number, number));
    expect(c).toMatchObject({ channel: 'email', contactName: 'Ana Petrescu', tenantId: t.demoTenantId });
    expect(c!.receivedAt.toISOString()).toBe('2026-11-20T08:30:00.000Z');
    const linked = await t.db.select().from(inboundMessages).where(eq(inboundMessages.caseId, c!.id));
    expect(linked).toHaveLength(1);

    const again = await t.app.inject({
      method: 'POST',
      url: `/api/quarantine/${noSenderId}/registration`,
      headers: officer,
      payload,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ message: 'Mesajul din carantină a fost deja tratat.' });
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/quarantine?status=resolved',
      headers: officer,
    });
    expect(list.json<{ items: unknown[] }>().items).toEqual([
      expect.objectContaining({ id: noSenderId, resolution: 'registered', caseNumber: number }),
    ]);
  });

  it('marks a message handled with a reason, keeps it, and refuses a second decision', async () => {
    const short = await t.app.inject({
      method: 'POST',
      url: `/api/quarantine/${junkId}/handling`,
      headers: officer,
      payload: { reason: 'x' },
    });
    expect(short.statusCode).toBe(400);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/quarantine/${junkId}/handling`,
      headers: officer,
      payload: { reason: 'Mesaj nedescifrabil, fără expeditor; nu se poate răspunde.' },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'resolved', resolution: 'handled' });
    const cross = await t.app.inject({
      method: 'POST',
      url: `/api/quarantine/${junkId}/handling`,
      headers: acme,
      payload: { reason: 'Încercare din alt furnizor.' },
    });
    expect(cross.statusCode).toBe(404);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/quarantine/${junkId}/handling`,
      headers: officer,
      payload: { reason: 'A doua decizie.' },
    });
    expect(again.statusCode).toBe(409);
    const open = await t.app.inject({ method: 'GET', url: '/api/quarantine', headers: officer });
    expect(open.json()).toEqual({ items: [], total: 0 });
    const all = await t.app.inject({ method: 'GET', url: '/api/quarantine?status=all', headers: officer });
    expect(all.json<{ total: number }>().total).toBe(2);
  });
});
