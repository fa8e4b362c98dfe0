import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODES_PER_EMAIL, CODES_PER_IP, CODE_MAX_ATTEMPTS } from '../../server/portal/portal-auth.service.ts';
import { readMailbox } from '../helpers/mailbox.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import {
  codesInMailbox,
  freshEmail,
  freshIp,
  loginConsumer,
  requestCode,
  verifyCode,
  waitForCode,
} from './portal-helpers.ts';

describe('portal login with a one-time code', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t?.close());

  it('answers the same for a customer on file and an unknown address, and both get a code by e-mail', async () => {
    const known = 'maria.ionescu@gmail.test';
    // Clear any earlier code mails for the known address (the mailbox outlives test databases).
    const before = (await codesInMailbox(known)).length;
    const unknown = freshEmail('necunoscut');
    const a = await requestCode(t, known);
    const b = await requestCode(t, unknown);
    expect(a.statusCode).toBe(202);
    expect(b.statusCode).toBe(202);
    expect(a.body).toBe(b.body);
    expect(a.json<{ message: string }>().message).toMatch(/cod de 6 cifre/);
    const codeKnown = await waitForCode(known, before + 1);
    const codeUnknown = await waitForCode(unknown);
    expect(codeKnown).toMatch(/^\d{6}$/);
    expect(codeUnknown).toMatch(/^\d{6}$/);
  });

  it("sends the code in the supplier's mjml e-mail, with the link to the portal", async () => {
    const email = freshEmail();
    await requestCode(t, email);
    const code = await waitForCode(email);
    const [mail] = await readMailbox(email);
    expect(mail!.subject).toBe(`Codul dumneavoastră de acces în portal: ${code}`);
    expect(mail!.html).toContain('Demo Energie SA');
    expect(mail!.html).toContain(code);
    expect(mail!.html).toContain('http://localhost:3000/portal/DEMO/login');
    expect(mail!.text).toContain('valabil 10 minute');
    expect(mail!.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('stores only a keyed hash of the code, never the code', async () => {
    const email = freshEmail();
    await requestCode(t, email);
    const code = await waitForCode(email);
    const rows = await t.db.execute<{ code_hash: string; ip_hash: string }>(
      sql`select code_hash, ip_hash from portal_login_codes where email = ${email}`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.code_hash).not.toContain(code);
    expect(rows[0]!.ip_hash).not.toMatch(/^10\./);
  });

  it('logs in with the right code, creates the account once, and audits the login', async () => {
    const { authorization, email } = await loginConsumer(t);
    const me = await t.app.inject({ method: 'GET', url: '/api/portal/me', headers: { authorization } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      email,
      tenantCode: 'DEMO',
      supplier: 'Demo Energie SA',
      customers: [],
    });
    const audit = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_log a join consumer_accounts c on c.id::text = a.entity_id
          where c.email = ${email} and a.action = 'portal.login' and a.actor_kind = 'consumer'`,
    );
    expect(audit[0]!.n).toBe(1);
  });

  it('refuses a wrong code with a Romanian message, and a code used once cannot be used again', async () => {
    const email = freshEmail();
    await requestCode(t, email);
    const code = await waitForCode(email);
    const wrong = code === '000000' ? '111111' : '000000';
    const r = await verifyCode(t, email, wrong);
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({
      code: 'PORTAL_CODE_INVALID',
      message: 'Codul introdus nu este corect. Verificați ultimul e-mail primit sau cereți un cod nou.',
    });
    expect((await verifyCode(t, email, code)).statusCode).toBe(201);
    const again = await verifyCode(t, email, code);
    expect(again.statusCode).toBe(401);
    expect(again.json<{ code: string }>().code).toBe('PORTAL_CODE_INVALID');
  });

  it(`locks a code after ${CODE_MAX_ATTEMPTS} wrong tries, even against the right one`, async () => {
    const email = freshEmail();
    await requestCode(t, email);
    const code = await waitForCode(email);
    const wrong = code === '999999' ? '888888' : '999999';
    const statuses: number[] = [];
    for (let i = 0; i < CODE_MAX_ATTEMPTS; i++) statuses.push((await verifyCode(t, email, wrong)).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const right = await verifyCode(t, email, code);
    expect(right.statusCode).toBe(429);
    expect(right.json<{ message: string }>().message).toBe(
      'Ați introdus un cod greșit de prea multe ori. Cereți un cod nou.',
    );
  });

  it('refuses an expired code', async () => {
    const email = freshEmail();
    await requestCode(t, email);
    const code = await waitForCode(email);
    await t.db.execute(
      sql`update portal_login_codes set expires_at = now() - interval '1 second' where email = ${email}`,
    );
    const r = await verifyCode(t, email, code);
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({ code: 'PORTAL_CODE_EXPIRED', message: 'Codul a expirat. Cereți un cod nou.' });
  });

  it('only the newest code counts', async () => {
    const email = freshEmail();
    await requestCode(t, email);
    const first = await waitForCode(email, 1);
    await requestCode(t, email);
    const second = await waitForCode(email, 2);
    if (first !== second) expect((await verifyCode(t, email, first)).statusCode).toBe(401);
    expect((await verifyCode(t, email, second)).statusCode).toBe(201);
  });

  it(`limits codes to ${CODES_PER_EMAIL} per address in 15 minutes, the same for known and unknown addresses`, async () => {
    for (const email of ['stefan.munteanu@outlook.test', freshEmail()]) {
      await t.db.execute(sql`delete from portal_login_codes where email = ${email}`);
      const statuses: number[] = [];
      for (let i = 0; i <= CODES_PER_EMAIL; i++) statuses.push((await requestCode(t, email)).statusCode);
      expect(statuses).toEqual([...Array(CODES_PER_EMAIL).fill(202), 429]);
    }
    const r = await requestCode(t, freshEmail());
    expect(r.statusCode).toBe(202);
  });

  it(`limits codes to ${CODES_PER_IP} per client address in an hour`, async () => {
    const ip = freshIp();
    const statuses: number[] = [];
    for (let i = 0; i <= CODES_PER_IP; i++)
      statuses.push((await requestCode(t, freshEmail(), ip)).statusCode);
    expect(statuses.slice(0, CODES_PER_IP).every((s) => s === 202)).toBe(true);
    const last = await requestCode(t, freshEmail(), ip);
    expect(last.statusCode).toBe(429);
    expect(last.json()).toEqual({
      code: 'PORTAL_CODE_RATE_LIMITED',
      message: 'Ați cerut prea multe coduri într-un timp scurt. Reîncercați peste 15 minute.',
    });
    // Another client address is not affected.
    expect((await requestCode(t, freshEmail(), freshIp())).statusCode).toBe(202);
  });

  it('rejects a malformed address and an unknown supplier with Romanian messages', async () => {
    const bad = await requestCode(t, 'nu-e-adresa');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'Câmpul „e-mailul” nu are un format valid.',
    });
    const unknown = await requestCode(t, freshEmail(), freshIp(), 'NUEXISTA');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ code: 'PORTAL_SUPPLIER_NOT_FOUND', message: 'Furnizorul nu există.' });
  });

  it('an account is per supplier: a DEMO code does not open an ACME session', async () => {
    const email = freshEmail();
    await requestCode(t, email, freshIp(), 'DEMO');
    const code = await waitForCode(email);
    const r = await verifyCode(t, email, code, 'ACME');
    expect(r.statusCode).toBe(401);
  });

  it('keeps consumer and staff sessions apart', async () => {
    const consumer = await loginConsumer(t);
    const staff = await t.login('officer@demo.local');
    // A consumer token reaches no staff route...
    for (const url of ['/api/auth/me', '/api/complaints', '/api/tasks'])
      expect(
        (await t.app.inject({ method: 'GET', url, headers: { authorization: consumer.authorization } }))
          .statusCode,
      ).toBe(401);
    // ...and a staff token no consumer route.
    const r = await t.app.inject({ method: 'GET', url: '/api/portal/me', headers: staff });
    expect(r.statusCode).toBe(401);
    expect(r.json<{ code: string }>().code).toBe('PORTAL_SESSION_INVALID');
    expect((await t.app.inject({ method: 'GET', url: '/api/portal/cases' })).statusCode).toBe(401);
  });

  it('logs out: the token stops working', async () => {
    const { authorization } = await loginConsumer(t);
    const out = await t.app.inject({
      method: 'DELETE',
      url: '/api/portal/session',
      headers: { authorization },
    });
    expect(out.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/portal/me', headers: { authorization } })).statusCode,
    ).toBe(401);
  });

  it('an expired session is refused', async () => {
    const { authorization } = await loginConsumer(t);
    await t.db.execute(sql`update consumer_sessions set expires_at = now() - interval '1 second'`);
    const r = await t.app.inject({ method: 'GET', url: '/api/portal/me', headers: { authorization } });
    expect(r.statusCode).toBe(401);
    expect(r.json<{ message: string }>().message).toBe(
      'Sesiunea a expirat. Autentificați-vă din nou cu un cod primit pe e-mail.',
    );
  });
});
