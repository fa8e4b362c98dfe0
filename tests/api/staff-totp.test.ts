import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../server/auth/totp.ts';
import { createUser } from '../factories/index.ts';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/test-context.ts';

/**
 * Staff TOTP, re-authentication and the absolute session lifetime (issue 13 item 8), through the real API, with
 * the production rule on (STAFF_TOTP_REQUIRED, which NODE_ENV=production forces): admins, supervisors and
 * designers must enrol before anything else.
 */
describe('staff TOTP (production rule)', () => {
  let t: TestContext;
  let n = 0;
  /** Its own client address per call group: the per-address request limits are not what is tested here. */
  const addr = () => `10.9.${Math.floor(++n / 250)}.${n % 250}`;

  beforeAll(async () => {
    t = await createTestContext({ env: { STAFF_TOTP_REQUIRED: 'true' }, taskEvents: false });
  });
  afterAll(async () => t?.close());

  interface Me {
    email: string;
    secondFactor: { stage: 'totp' | 'enrol' | 'full'; enrolled: boolean; required: boolean };
  }

  async function passwordStep(email: string, password = PASSWORD) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: addr(),
      payload: { email, password },
    });
    expect(r.statusCode).toBe(200);
    const body = r.json<{ token: string; user: Me }>();
    return { headers: { authorization: `Bearer ${body.token}` }, user: body.user, token: body.token };
  }

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    headers: Record<string, string>,
    payload?: unknown,
  ) =>
    t.app.inject({
      method,
      url,
      headers,
      remoteAddress: addr(),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  /** Enrols the signed-in person; returns the secret and the recovery codes. */
  async function enrol(headers: Record<string, string>) {
    const setup = await call('POST', '/api/account/totp/setup', headers);
    expect(setup.statusCode).toBe(200);
    const { secret, uri, qrSvg } = setup.json<{ secret: string; uri: string; qrSvg: string }>();
    const confirm = await call('POST', '/api/account/totp/confirm', headers, { code: totpCode(secret) });
    expect(confirm.statusCode).toBe(200);
    return { secret, uri, qrSvg, recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes };
  }

  const auditCount = async (action: string, email: string) =>
    (
      (await t.db.execute(
        sql`select count(*)::int as n from audit_log a join users u on u.id::text = a.entity_id
            where u.email = ${email} and a.action = ${action}`,
      )) as unknown as Array<{ n: number }>
    )[0]!.n;

  /** A new admin of DEMO (the production rule asks admins for TOTP), not enrolled yet: each test its own. */
  const newAdmin = () => createUser(t, { roles: ['admin'], jobRoles: [], name: 'Administrator Nou' });

  /** A new admin, enrolled: its address, TOTP secret and recovery codes. */
  async function enrolledAdmin() {
    const { email } = await newAdmin();
    const { headers } = await passwordStep(email);
    const { secret, recoveryCodes } = await enrol(headers);
    return { email, secret, recoveryCodes };
  }

  it('takes an admin without TOTP to enrolment right after the password; nothing else answers until done', async () => {
    const { email } = await newAdmin();
    const { headers, user } = await passwordStep(email);
    expect(user.secondFactor).toEqual({ stage: 'enrol', enrolled: false, required: true });
    const blocked = await call('GET', '/api/users', headers);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({
      code: 'AUTH_TOTP_ENROLMENT_REQUIRED',
      message: expect.stringMatching(/autentificare în doi pași/),
    });
    expect((await call('GET', '/api/complaints', headers)).statusCode).toBe(403);
    expect((await call('GET', '/api/auth/me', headers)).json<Me>().secondFactor.stage).toBe('enrol');

    const setup = await call('POST', '/api/account/totp/setup', headers);
    const { secret, uri, qrSvg } = setup.json<{ secret: string; uri: string; qrSvg: string }>();
    expect(uri.startsWith('otpauth://totp/')).toBe(true);
    expect(new URL(uri).searchParams.get('secret')).toBe(secret);
    expect(qrSvg.startsWith('<svg')).toBe(true);
    // A wrong first code enrols nothing.
    const wrong = await call('POST', '/api/account/totp/confirm', headers, { code: '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'TOTP_CODE_INVALID' });
    const done = await call('POST', '/api/account/totp/confirm', headers, { code: totpCode(secret) });
    expect(done.statusCode).toBe(200);
    const codes = done.json<{ recoveryCodes: string[] }>().recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect((await call('GET', '/api/users', headers)).statusCode).toBe(200);

    // At rest: the secret only encrypted, the recovery codes only as keyed hashes.
    const [row] = (await t.db.execute(
      sql`select u.totp_secret, (select string_agg(code_hash, ',') from staff_recovery_codes r where r.user_id = u.id) as hashes
          from users u where u.email = ${email}`,
    )) as unknown as Array<{ totp_secret: string; hashes: string }>;
    expect(row!.totp_secret).toMatch(/^v1:/);
    expect(row!.totp_secret).not.toContain(secret);
    for (const c of codes) expect(row!.hashes).not.toContain(c.replace('-', ''));
    expect(await auditCount('user.totp_enabled', email)).toBe(1);
  });

  it('an agent (not required) is signed in with the password alone', async () => {
    const { headers, user } = await passwordStep('agent@demo.local');
    expect(user.secondFactor).toEqual({ stage: 'full', enrolled: false, required: false });
    expect((await call('GET', '/api/complaints', headers)).statusCode).toBe(200);
  });

  it('asks an enrolled person for the code after the password; a code is good once; a recovery code once', async () => {
    const admin = await enrolledAdmin();
    const { headers, user } = await passwordStep(admin.email);
    expect(user.secondFactor.stage).toBe('totp');
    const blocked = await call('GET', '/api/users', headers);
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json()).toMatchObject({ code: 'AUTH_SECOND_FACTOR_REQUIRED' });
    // The code of the step already used at enrolment is refused (no replay)...
    const replay = await call('POST', '/api/auth/totp', headers, {
      code: totpCode(admin.secret, Date.now() - 30_000),
    });
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ code: 'AUTH_SECOND_FACTOR_INVALID' });
    // ...the next step's is accepted (one step of clock drift is tolerated).
    const ok = await call('POST', '/api/auth/totp', headers, {
      code: totpCode(admin.secret, Date.now() + 30_000),
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ user: Me }>().user.secondFactor.stage).toBe('full');
    expect((await call('GET', '/api/users', headers)).statusCode).toBe(200);

    // A recovery code instead of the app, typed in capitals without its dash: once.
    const code = admin.recoveryCodes[0]!;
    const second = await passwordStep(admin.email);
    const r1 = await call('POST', '/api/auth/totp', second.headers, {
      code: code.replace('-', '').toUpperCase(),
    });
    expect(r1.statusCode).toBe(200);
    const third = await passwordStep(admin.email);
    const r2 = await call('POST', '/api/auth/totp', third.headers, { code });
    expect(r2.statusCode).toBe(400);
    expect(await auditCount('user.recovery_code_used', admin.email)).toBe(1);
    const status = await call('GET', '/api/account/totp', headers);
    expect(status.json()).toMatchObject({ enabled: true, required: true, recoveryCodesLeft: 9 });
  });

  it('ends the unfinished sign-in after five wrong codes: the password must be given again', async () => {
    const { headers } = await passwordStep((await enrolledAdmin()).email);
    for (let i = 0; i < 4; i++)
      expect((await call('POST', '/api/auth/totp', headers, { code: '123456' })).statusCode).toBe(400);
    const fifth = await call('POST', '/api/auth/totp', headers, { code: '123456' });
    expect(fifth.statusCode).toBe(401);
    expect(fifth.json()).toMatchObject({ code: 'AUTH_SECOND_FACTOR_TOO_MANY' });
    expect((await call('GET', '/api/auth/me', headers)).statusCode).toBe(401);
    await t.db.execute(sql`delete from staff_login_failures`);
  });

  /** A full admin session (password + code), whose last authentication is then moved back. */
  async function adminSession(admin: { email: string; secret: string }) {
    const { headers } = await passwordStep(admin.email);
    // The tests sign in faster than the 30 s steps go by: forget which step was used last (replay is tested above).
    await t.db.execute(sql`update users set totp_last_step = null where email = ${admin.email}`);
    expect((await call('POST', '/api/auth/totp', headers, { code: totpCode(admin.secret) })).statusCode).toBe(
      200,
    );
    return headers;
  }

  const stale = (headers: Record<string, string>) =>
    t.db.execute(
      sql`update sessions set authenticated_at = now() - interval '11 minutes'
          where id = encode(sha256(convert_to(${headers.authorization!.slice(7)}, 'UTF8')), 'hex')`,
    );

  it('asks for the password and the code again before granting roles or changing the mailbox', async () => {
    const admin = await enrolledAdmin();
    const headers = await adminSession(admin);
    const agent = await createUser(t, { roles: ['agent'], jobRoles: [] });
    await stale(headers);

    const grant = await call('PATCH', `/api/users/${agent.id}`, headers, { roles: ['agent', 'officer'] });
    expect(grant.statusCode).toBe(403);
    expect(grant.json()).toMatchObject({
      code: 'AUTH_REAUTH_REQUIRED',
      message: expect.stringMatching(/^Pentru această operațiune confirmați din nou identitatea/),
    });
    const mailbox = await call('PUT', '/api/mailbox', headers, {
      host: 'imap.exemplu.ro',
      port: 993,
      secure: true,
      username: 'reclamatii',
      password: 'parola-cutiei',
      mailbox: 'INBOX',
      processedFolder: 'Processed',
      quarantineFolder: 'Quarantine',
      enabled: false,
    });
    expect(mailbox.statusCode).toBe(403);
    expect(mailbox.json()).toMatchObject({ code: 'AUTH_REAUTH_REQUIRED' });
    // Renaming grants nothing: no re-authentication needed.
    expect((await call('PATCH', `/api/users/${agent.id}`, headers, { name: 'Agent Demo' })).statusCode).toBe(
      200,
    );

    // The password alone is not enough for someone who uses TOTP; a wrong password never is.
    const noCode = await call('POST', '/api/auth/reauth', headers, { password: PASSWORD });
    expect(noCode.json()).toMatchObject({ code: 'AUTH_REAUTH_CODE_REQUIRED' });
    const wrong = await call('POST', '/api/auth/reauth', headers, {
      password: 'nu-este-parola',
      code: totpCode(admin.secret, Date.now() + 30_000),
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: 'AUTH_REAUTH_FAILED' });
    const again = await call('POST', '/api/auth/reauth', headers, {
      password: PASSWORD,
      code: admin.recoveryCodes[1]!,
    });
    expect(again.statusCode).toBe(200);
    expect(
      (await call('PATCH', `/api/users/${agent.id}`, headers, { roles: ['agent', 'officer'] })).statusCode,
    ).toBe(200);
    expect(await auditCount('auth.reauthenticated', admin.email)).toBe(1);
  });

  it("lets an admin reset a colleague's TOTP (audited, after re-authentication): the colleague's sessions end and enrolment follows", async () => {
    const sup = await passwordStep('supervisor@demo.local');
    const supEnrolment = await enrol(sup.headers);
    expect(supEnrolment.recoveryCodes).toHaveLength(10);
    const supAgain = await passwordStep('supervisor@demo.local');
    expect(supAgain.user.secondFactor.stage).toBe('totp');

    const admin = await adminSession(await enrolledAdmin());
    const [sv] = (await t.db.execute(
      sql`select id from users where email = 'supervisor@demo.local'`,
    )) as unknown as Array<{ id: string }>;
    await stale(admin);
    expect((await call('POST', `/api/users/${sv!.id}/totp-reset`, admin)).statusCode).toBe(403);
    await t.db.execute(sql`update sessions set authenticated_at = now()`);
    const reset = await call('POST', `/api/users/${sv!.id}/totp-reset`, admin);
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toMatchObject({ wasEnabled: true });
    expect(reset.json<{ sessionsEnded: number }>().sessionsEnded).toBeGreaterThanOrEqual(2);
    expect((await call('GET', '/api/auth/me', sup.headers)).statusCode).toBe(401);
    expect(await auditCount('user.totp_reset_by_admin', 'supervisor@demo.local')).toBe(1);
    const next = await passwordStep('supervisor@demo.local');
    expect(next.user.secondFactor).toMatchObject({ stage: 'enrol', enrolled: false });
    // Another tenant's admin cannot reach this tenant's people.
    const acme = (await t.db.execute(
      sql`select id from users where tenant_id = ${t.acmeTenantId} limit 1`,
    )) as unknown as Array<{ id: string }>;
    expect((await call('POST', `/api/users/${acme[0]!.id}/totp-reset`, admin)).statusCode).toBe(404);
  });

  it('ends a session at its absolute lifetime whatever the activity; the tenant policy sets it and can require TOTP of everyone', async () => {
    const agent = await passwordStep('agent@demo.local');
    // Active all along (its idle expiry is hours away), but signed in 13 hours ago: over the default 12 h.
    await t.db.execute(
      sql`update sessions set created_at = now() - interval '13 hours', expires_at = now() + interval '4 hours'
          where id = encode(sha256(convert_to(${agent.token}, 'UTF8')), 'hex')`,
    );
    expect((await call('GET', '/api/auth/me', agent.headers)).statusCode).toBe(401);

    const admin = await adminSession(await enrolledAdmin());
    const policy = await call('PUT', '/api/users/security-policy', admin, {
      totpForAllStaff: true,
      sessionMaxHours: 2,
    });
    expect(policy.statusCode).toBe(200);
    const audited = (await t.db.execute(
      sql`select details from audit_log where action = 'tenant.security_policy_changed'`,
    )) as unknown as Array<{ details: { after: { sessionMaxHours: number } } }>;
    expect(audited[0]!.details.after.sessionMaxHours).toBe(2);

    // Now an agent must enrol too, and a session lives at most 2 hours (its expiry is capped to that).
    const again = await passwordStep('agent@demo.local');
    expect(again.user.secondFactor).toMatchObject({ stage: 'enrol', required: true });
    const me = await call('GET', '/api/auth/me', again.headers);
    expect(me.statusCode).toBe(200);
    const [s] = (await t.db.execute(
      sql`select extract(epoch from expires_at - created_at)::int as secs from sessions
          where id = encode(sha256(convert_to(${again.token}, 'UTF8')), 'hex')`,
    )) as unknown as Array<{ secs: number }>;
    expect(s!.secs).toBeLessThanOrEqual(2 * 3600);
    await t.db.execute(
      sql`update sessions set created_at = now() - interval '2 hours 1 minute'
          where id = encode(sha256(convert_to(${again.token}, 'UTF8')), 'hex')`,
    );
    expect((await call('GET', '/api/auth/me', again.headers)).statusCode).toBe(401);

    // Back to the defaults for the other tests.
    await t.db.execute(sql`update tenants set totp_for_all_staff = false, session_max_hours = 12`);
  });
});
