import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_MAX_FAILURES } from '../../server/auth/auth.service.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { ensureUser } from '../../server/seed/tenant-setup.ts';
import { readMailbox } from '../helpers/mailbox.ts';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import { withTenant } from '../../server/db/tenant-scope.ts';

interface StaffUser {
  id: string;
  name: string;
  email: string;
  roles: string[];
  active: boolean;
  lastLoginAt: string | null;
  pendingLinkExpiresAt: string | null;
  loginLocked: boolean;
}
type Headers = { authorization: string };

/**
 * A supplier's admin manages the staff accounts: create (with an e-mailed link to choose the password), roles,
 * deactivate/reactivate, reset the password, unlock. Admins only, the admin's own tenant only, every change
 * audited, and the tenant always keeps an active admin.
 */
describe('/api/users and /api/account', () => {
  let t: TestContext;
  let admin: Headers;
  let acmeAdmin: Headers;
  const run = randomBytes(3).toString('hex');
  const address = (who: string) => `${who}-${run}@demo.local`;

  beforeAll(async () => {
    t = await createTestContext({ taskEvents: false });
    admin = await sessionOf('admin@demo.local');
    await ensureUser(t.db, {
      tenantId: t.acmeTenantId,
      email: `admin-${run}@acme.local`,
      name: 'Acme Admin',
      password: PASSWORD,
      roles: ['admin'],
      jobRoles: [],
    });
    acmeAdmin = await sessionOf(`admin-${run}@acme.local`);
  });
  afterAll(async () => t?.close());

  const call = (
    headers: Headers | undefined,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
  ) => t.app.inject({ method, url, ...(headers ? { headers } : {}), ...(payload ? { payload } : {}) });
  let ip = 0;
  /** Each login from its own client address: the route's per-address request limit is not under test here. */
  const loginWith = (email: string, password: string, address?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: address ?? `10.7.${Math.floor(++ip / 250)}.${ip % 250}`,
      payload: { email, password },
    });
  const sessionOf = async (email: string): Promise<Headers> => {
    const r = await loginWith(email, PASSWORD);
    expect(r.statusCode, r.body).toBe(200);
    return { authorization: `Bearer ${r.json<{ token: string }>().token}` };
  };
  const list = async (headers: Headers = admin) =>
    (await call(headers, 'GET', '/api/users')).json<{ items: StaffUser[] }>().items;

  /** The newest password-setting link in the person's real mailbox, and the mail itself. */
  async function linkFromMail(email: string, after = 0) {
    const mail = await waitFor(async () => {
      const all = await readMailbox(email);
      return all.length > after ? all[all.length - 1] : null;
    });
    const m = /\/account\/password\?token=([a-z2-7]{32})/.exec(mail.text ?? '');
    expect(m, 'the mail carries the link').not.toBeNull();
    expect(mail.html).toContain(`/account/password?token=${m![1]}`);
    return { token: m![1]!, mail };
  }

  async function createUser(who: string, roles: string[], name = 'Ioana Pop') {
    const email = address(who);
    const res = await call(admin, 'POST', '/api/users', { name, email, roles });
    expect(res.statusCode, res.body).toBe(201);
    return { email, ...res.json<{ user: StaffUser; linkSent: boolean }>() };
  }

  /** A created account whose person has already chosen PASSWORD (set in the database: setup, not under test). */
  async function activeUser(who: string, roles: string[]) {
    const u = await createUser(who, roles);
    await t.db.execute(
      sql`update users set password_hash = ${await hashPassword(PASSWORD)} where id = ${u.user.id}`,
    );
    return u;
  }

  const setPassword = (token: string, password: string, passwordConfirmation = password) =>
    call(undefined, 'POST', '/api/account/password', { token, password, passwordConfirmation });

  async function auditOf(userId: string) {
    return (await t.db.execute(
      sql`select action, actor_id, details from audit_log where entity_type = 'user' and entity_id = ${userId} order by id`,
    )) as unknown as Array<{ action: string; actor_id: string | null; details: Record<string, unknown> }>;
  }

  it('creates an account, e-mails the link, the person chooses a password and logs in', async () => {
    const created = await createUser('nou', ['officer', 'agent'], 'Ioana Nouă');
    expect(created.linkSent).toBe(true);
    expect(created.user).toMatchObject({
      name: 'Ioana Nouă',
      email: created.email,
      roles: ['officer', 'agent'],
      active: true,
      lastLoginAt: null,
      loginLocked: false,
    });
    const expires = new Date(created.user.pendingLinkExpiresAt!).getTime();
    expect(Math.abs(expires - Date.now() - 24 * 3_600_000)).toBeLessThan(60_000);
    // No usable password until the person chooses one.
    expect((await loginWith(created.email, PASSWORD)).statusCode).toBe(401);

    const { token, mail } = await linkFromMail(created.email);
    expect(mail.subject).toContain('alegeți parola');
    expect(mail.text).toContain('Bun venit, Ioana Nouă');
    expect(mail.text).toContain('valabil 24 de ore');
    // Only the token's hash is stored.
    const stored = (await t.db.execute(
      sql`select token_hash from staff_password_tokens where user_id = ${created.user.id}`,
    )) as unknown as Array<{ token_hash: string }>;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).not.toContain(token);

    const check = await call(undefined, 'POST', '/api/account/password-link', { token });
    expect(check.statusCode).toBe(200);
    expect(check.json()).toMatchObject({ name: 'Ioana Nouă', email: created.email });

    // Refused passwords say why, in Romanian, and leave the link usable.
    const short = await setPassword(token, 'scurtă-1');
    expect(short.statusCode).toBe(400);
    expect(short.json()).toEqual({
      code: 'PASSWORD_TOO_SHORT',
      message: 'Parola trebuie să aibă cel puțin 12 caractere.',
    });
    const mismatch = await setPassword(token, 'o frază destul de lungă', 'o frază destul de lungă!');
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json()).toEqual({
      code: 'PASSWORD_MISMATCH',
      message: 'Parola și confirmarea ei nu coincid.',
    });
    const withAddress = await setPassword(token, `parola-${created.email}`);
    expect(withAddress.json<{ code: string }>().code).toBe('PASSWORD_CONTAINS_EMAIL');

    const chosen = 'Lalele galbene în aprilie';
    const ok = await setPassword(token, chosen);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ email: created.email });

    // Single use.
    const again = await setPassword(token, 'alta parola foarte lunga');
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ code: 'PASSWORD_LINK_USED' });
    expect(again.json<{ message: string }>().message).toMatch(/a fost deja folosit/);

    const login = await loginWith(created.email.toUpperCase(), chosen);
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ user: { roles: ['officer', 'agent'], tenantCode: 'DEMO' } });
    const row = (await list()).find((u) => u.id === created.user.id)!;
    expect(row.lastLoginAt).not.toBeNull();
    expect(row.pendingLinkExpiresAt).toBeNull();

    // Audited, with neither the token nor any password in the details.
    const audit = await auditOf(created.user.id);
    expect(audit.map((a) => a.action)).toEqual([
      'user.created',
      'user.password_link_sent',
      'auth.login_failed',
      'user.password_set',
      'auth.login',
    ]);
    expect(audit[0]).toMatchObject({ details: { roles: ['officer', 'agent'] } });
    const everything = JSON.stringify(audit);
    for (const secret of [token, chosen, 'scurtă-1', created.email]) expect(everything).not.toContain(secret);
  });

  it('refuses an expired, unknown or malformed link with a Romanian message', async () => {
    const created = await createUser('expira', ['agent']);
    const { token } = await linkFromMail(created.email);
    await t.db.execute(
      sql`update staff_password_tokens set expires_at = now() - interval '1 minute' where user_id = ${created.user.id}`,
    );
    const expired = await setPassword(token, 'o parolă suficient de lungă');
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({
      code: 'PASSWORD_LINK_EXPIRED',
      message: expect.stringContaining('a expirat (este valabil 24 de ore)'),
    });
    expect((await call(undefined, 'POST', '/api/account/password-link', { token })).statusCode).toBe(410);
    // The list no longer shows a pending link.
    expect((await list()).find((u) => u.id === created.user.id)!.pendingLinkExpiresAt).toBeNull();

    for (const bad of ['a'.repeat(32), 'nu-este-un-token', token.slice(0, 31)]) {
      const r = await setPassword(bad, 'o parolă suficient de lungă');
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({
        code: 'PASSWORD_LINK_INVALID',
        message: expect.stringContaining('nu este valid'),
      });
    }
    expect((await loginWith(created.email, 'o parolă suficient de lungă')).statusCode).toBe(401);
  });

  it('a password reset ends the sessions, stops the old password and the older link, and e-mails a new link', async () => {
    const u = await activeUser('reset', ['officer']);
    const before = (await readMailbox(u.email)).length;
    const { token: firstToken } = await linkFromMail(u.email);
    const session = (await loginWith(u.email, PASSWORD)).json<{ token: string }>().token;
    const asUser = { authorization: `Bearer ${session}` };
    expect((await call(asUser, 'GET', '/api/auth/me')).statusCode).toBe(200);

    const reset = await call(admin, 'POST', `/api/users/${u.user.id}/password-reset`);
    expect(reset.statusCode, reset.body).toBe(200);
    expect(reset.json()).toMatchObject({ linkSent: true, user: { id: u.user.id, active: true } });
    expect((await call(asUser, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await loginWith(u.email, PASSWORD)).statusCode).toBe(401);

    const { token, mail } = await linkFromMail(u.email, before);
    expect(token).not.toBe(firstToken);
    expect(mail.subject).toContain('Resetarea parolei');
    expect((await setPassword(firstToken, 'o parolă suficient de lungă')).json()).toMatchObject({
      code: 'PASSWORD_LINK_INVALID',
    });
    expect((await setPassword(token, 'parola noua dupa resetare')).statusCode).toBe(200);
    expect((await loginWith(u.email, 'parola noua dupa resetare')).statusCode).toBe(200);
    expect((await auditOf(u.user.id)).map((a) => a.action)).toContain('user.password_link_sent');
    const sent = (await auditOf(u.user.id)).filter((a) => a.action === 'user.password_link_sent').at(-1)!;
    expect(sent.details).toEqual({ reason: 'reset', sessionsEnded: 1 });
  });

  it('deactivation ends the sessions at once and blocks login; reactivation lets the person in again', async () => {
    const u = await activeUser('inactiv', ['agent']);
    const session = (await loginWith(u.email, PASSWORD)).json<{ token: string }>().token;
    const asUser = { authorization: `Bearer ${session}` };

    const off = await call(admin, 'POST', `/api/users/${u.user.id}/deactivation`);
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ active: false, pendingLinkExpiresAt: null });
    const left = (await t.db.execute(
      sql`select count(*)::int as n from sessions where user_id = ${u.user.id}`,
    )) as unknown as Array<{ n: number }>;
    expect(left[0]!.n).toBe(0);
    expect((await call(asUser, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await loginWith(u.email, PASSWORD)).statusCode).toBe(401);
    // Its unused invitation link went with it, and no new one is sent to an inactive account.
    const { token } = await linkFromMail(u.email);
    expect((await setPassword(token, 'o parolă suficient de lungă')).statusCode).toBe(404);
    const reset = await call(admin, 'POST', `/api/users/${u.user.id}/password-reset`);
    expect(reset.statusCode).toBe(409);
    expect(reset.json()).toMatchObject({ code: 'STAFF_USER_INACTIVE' });

    const on = await call(admin, 'POST', `/api/users/${u.user.id}/reactivation`);
    expect(on.json()).toMatchObject({ active: true });
    expect((await loginWith(u.email, PASSWORD)).statusCode).toBe(200);
    expect((await auditOf(u.user.id)).map((a) => a.action)).toEqual(
      expect.arrayContaining(['user.deactivated', 'user.reactivated']),
    );
  });

  it('changes the permission roles, effective on the next request, audited as added/removed', async () => {
    const u = await activeUser('roluri', ['agent']);
    const asUser = await sessionOf(u.email);
    expect((await call(asUser, 'GET', '/api/users')).statusCode).toBe(403);
    const r = await call(admin, 'PATCH', `/api/users/${u.user.id}`, { roles: ['officer', 'admin'] });
    expect(r.statusCode, r.body).toBe(200);
    // Officer applies now; admin waits for a second admin (two-person rule, tests/api/role-grants.test.ts).
    expect(r.json()).toMatchObject({ roles: ['officer'], pendingRoles: ['admin'] });
    expect((await call(asUser, 'GET', '/api/users')).statusCode).toBe(403);
    const changed = (await auditOf(u.user.id)).find((a) => a.action === 'user.roles_changed')!;
    expect(changed).toMatchObject({ details: { added: ['officer'], removed: ['agent'] } });
    // Back to what it was (the pending grant withdrawn), so the last-admin test below starts from one admin.
    await call(admin, 'PATCH', `/api/users/${u.user.id}`, { roles: ['agent'] });
    const grants = (await call(admin, 'GET', '/api/role-grants')).json<{
      items: Array<{ id: string; userId: string }>;
    }>();
    for (const g of grants.items.filter((x) => x.userId === u.user.id))
      expect((await call(admin, 'POST', `/api/role-grants/${g.id}/rejection`)).statusCode).toBe(204);
  });

  it('keeps an active admin: no self-deactivation, the last admin keeps the role, not even in a race', async () => {
    const me = (await list()).find((u) => u.email === 'admin@demo.local')!;
    const self = await call(admin, 'POST', `/api/users/${me.id}/deactivation`);
    expect(self.statusCode).toBe(409);
    expect(self.json()).toEqual({
      code: 'STAFF_CANNOT_DEACTIVATE_SELF',
      message: 'Nu vă puteți dezactiva propriul cont.',
    });
    const last = await call(admin, 'PATCH', `/api/users/${me.id}`, { roles: ['officer'] });
    expect(last.statusCode).toBe(409);
    expect(last.json()).toEqual({
      code: 'STAFF_LAST_ADMIN',
      message: 'Furnizorul trebuie să păstreze cel puțin un administrator activ.',
    });

    // With a second admin, neither can drop their own admin role, but one may demote the other.
    // A tenant with one admin gets its second from the platform operator, on the server (two-person rule).
    const second = await activeUser('admin2', ['officer']);
    await t.db.execute(sql`update users set roles = '{admin}' where id = ${second.user.id}`);
    const asSecond = await sessionOf(second.email);
    expect((await call(admin, 'PATCH', `/api/users/${me.id}`, { roles: ['officer'] })).json()).toMatchObject({
      code: 'STAFF_CANNOT_DROP_OWN_ADMIN',
    });

    // Two admins deactivating each other at the same moment: one wins, the tenant keeps an admin.
    const [a, b] = await Promise.all([
      call(asSecond, 'POST', `/api/users/${me.id}/deactivation`),
      call(admin, 'POST', `/api/users/${second.user.id}/deactivation`),
    ]);
    expect([a.statusCode, b.statusCode].filter((s) => s === 200)).toHaveLength(1);
    const alive = a.statusCode === 200 ? asSecond : admin;
    const admins = (await list(alive)).filter((u) => u.active && u.roles.includes('admin'));
    expect(admins).toHaveLength(1);

    // A request of the other admin already past the auth hook (its principal checked a moment before it was
    // deactivated) still cannot remove the remaining one: the rule is checked again under the tenant's lock.
    const survivor = admins[0]!;
    const loser = survivor.id === me.id ? second : { user: me, email: me.email };
    const stale = {
      userId: loser.user.id,
      tenantId: t.demoTenantId,
      tenantCode: 'DEMO',
      email: loser.email,
      name: loser.user.name,
      roles: ['admin' as const],
      jobRoles: [],
      sessionId: 'stale',
      sessionExpiresAt: new Date(Date.now() + 60_000),
    };
    // Called as a request of that admin would (in its tenant's scope, server/db/tenant-scope.ts).
    await expect(
      withTenant(t.demoTenantId, () => t.app.services.usersService.deactivate(stale, survivor.id)),
    ).rejects.toMatchObject({
      code: 'STAFF_LAST_ADMIN',
    });
    await t.db.execute(sql`update users set active = true where email = 'admin@demo.local'`);
    admin = await sessionOf('admin@demo.local');
  });

  it('unlocks an account delayed after failed logins (the same keyed hash as the login throttle)', async () => {
    const u = await activeUser('blocat', ['agent']);
    // The delay is per account and client address: the guesses come from one address.
    const guesser = '10.8.0.1';
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) await loginWith(u.email, `gresit-${i}`, guesser);
    expect((await loginWith(u.email, PASSWORD, guesser)).statusCode).toBe(429);
    expect((await list()).find((x) => x.id === u.user.id)!.loginLocked).toBe(true);

    const r = await call(admin, 'DELETE', `/api/users/${u.user.id}/login-failures`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ failuresCleared: LOGIN_MAX_FAILURES, user: { loginLocked: false } });
    expect((await loginWith(u.email, PASSWORD, guesser)).statusCode).toBe(200);
    expect((await auditOf(u.user.id)).find((a) => a.action === 'user.login_unlocked')).toMatchObject({
      details: { failuresCleared: LOGIN_MAX_FAILURES },
    });
  });

  it('refuses a taken address (across the installation, any case) with 409', async () => {
    for (const email of ['officer@demo.local', 'ADMIN@Demo.Local', `admin-${run}@acme.local`]) {
      const r = await call(admin, 'POST', '/api/users', { name: 'Dublură', email, roles: ['agent'] });
      expect(r.statusCode).toBe(409);
      expect(r.json()).toEqual({
        code: 'STAFF_EMAIL_TAKEN',
        message: 'Adresa de e-mail este deja folosită de un alt cont. Alegeți altă adresă.',
      });
    }
  });

  it('validates the input with Romanian messages', async () => {
    const bad: Array<[object, string]> = [
      [{ email: address('x'), roles: ['agent'] }, 'Câmpul „numele” este obligatoriu.'],
      [
        { name: ' ', email: address('x'), roles: ['agent'] },
        'Câmpul „numele” trebuie să aibă cel puțin 2 caractere.',
      ],
      [
        { name: 'Ana Ionescu', email: 'nu-este-adresa', roles: ['agent'] },
        'Câmpul „e-mailul” nu are un format valid.',
      ],
      [{ name: 'Ana Ionescu', email: address('y'), roles: [] }, 'Date invalide.'],
      [{ name: 'Ana Ionescu', email: address('z'), roles: ['root'] }, 'Câmpul „0” are o valoare nepermisă.'],
    ];
    for (const [payload, message] of bad) {
      const r = await call(admin, 'POST', '/api/users', payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json(), JSON.stringify(payload)).toEqual({ code: 'VALIDATION_FAILED', message });
    }
    expect(
      (await call(admin, 'PATCH', `/api/users/${crypto.randomUUID()}`, { roles: ['agent'] })).statusCode,
    ).toBe(404);
  });

  it('is for admins only: an officer gets 403 everywhere, an anonymous caller 401', async () => {
    const officer = await sessionOf('officer@demo.local');
    const someone = (await list()).find((u) => u.email === 'agent@demo.local')!;
    const routes: Array<['GET' | 'POST' | 'PATCH' | 'DELETE', string, object?]> = [
      ['GET', '/api/users'],
      ['POST', '/api/users', { name: 'Intrus', email: address('intrus'), roles: ['admin'] }],
      ['PATCH', `/api/users/${someone.id}`, { roles: ['admin'] }],
      ['POST', `/api/users/${someone.id}/deactivation`],
      ['POST', `/api/users/${someone.id}/reactivation`],
      ['POST', `/api/users/${someone.id}/password-reset`],
      ['DELETE', `/api/users/${someone.id}/login-failures`],
    ];
    for (const [method, url, payload] of routes) {
      const r = await call(officer, method, url, payload);
      expect(r.statusCode, `${method} ${url}`).toBe(403);
      expect(r.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' });
      expect((await call(undefined, method, url, payload)).statusCode).toBe(401);
    }
    expect((await list()).find((u) => u.id === someone.id)).toMatchObject({ roles: ['agent'], active: true });
  });

  it("keeps tenants apart: another tenant's person is 404 and never listed", async () => {
    const demo = await list();
    const acme = await list(acmeAdmin);
    expect(acme.map((u) => u.email).sort()).toEqual(expect.arrayContaining([`admin-${run}@acme.local`]));
    expect(acme.some((u) => u.email.endsWith('@demo.local'))).toBe(false);
    const target = demo.find((u) => u.email === 'agent@demo.local')!;
    const routes: Array<['POST' | 'PATCH' | 'DELETE', string, object?]> = [
      ['PATCH', `/api/users/${target.id}`, { roles: ['admin'] }],
      ['POST', `/api/users/${target.id}/deactivation`],
      ['POST', `/api/users/${target.id}/reactivation`],
      ['POST', `/api/users/${target.id}/password-reset`],
      ['DELETE', `/api/users/${target.id}/login-failures`],
    ];
    for (const [method, url, payload] of routes) {
      const r = await call(acmeAdmin, method, url, payload);
      expect(r.statusCode, `${method} ${url}`).toBe(404);
      expect(r.json()).toEqual({ code: 'STAFF_USER_NOT_FOUND', message: 'Utilizatorul nu există.' });
    }
    expect((await list()).find((u) => u.id === target.id)).toMatchObject({ roles: ['agent'], active: true });
    // A new ACME account belongs to ACME.
    const r = await call(acmeAdmin, 'POST', '/api/users', {
      name: 'Acme Agent',
      email: `agent-${run}@acme.local`,
      roles: ['agent'],
    });
    expect(r.statusCode).toBe(201);
    expect((await list()).some((u) => u.email === `agent-${run}@acme.local`)).toBe(false);
    const mail = await waitFor(async () => (await readMailbox(`agent-${run}@acme.local`))[0]);
    expect(mail.subject).toContain('Acme');
  });
});
