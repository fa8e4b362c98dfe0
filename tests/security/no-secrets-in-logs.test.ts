import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { totpCode } from '../../server/auth/totp.ts';
import { readMailbox } from '../helpers/mailbox.ts';
import { describeLeaks, holds, scanLogFiles, type Secret } from '../helpers/log-scan.ts';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  complaintForm,
  freshEmail,
  freshIp,
  link,
  MARIA,
  requestCode,
  submit,
  verifyCode,
  waitForCode,
} from '../api/portal-helpers.ts';

/**
 * No secret or access code in any log line (issue 13 item 9). The app runs with a real logger at debug level, as
 * npm start's but writing to a file (test-context.ts). Every kind of credential goes through the real API: staff
 * passwords (right and wrong), session tokens, portal login codes, a case's access code on the status lookup (in
 * the URL's query), a password-setting link's token, a TOTP secret, its codes and recovery codes. The values
 * collected from the answers and mails are then searched for in the log files of the whole run.
 */
describe('the logs of the run hold no secret', () => {
  let t: TestContext;
  const secrets: Secret[] = [];
  const keep = (what: string, value: string) => {
    expect(value, what).toBeTruthy();
    secrets.push({ what, value });
    return value;
  };

  beforeAll(async () => {
    t = await createTestContext({ taskEvents: false });
  });
  afterAll(async () => t?.close());

  const login = (email: string, password: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: freshIp(),
      payload: { email, password },
    });

  it('logs every request of a login, portal code, status lookup, password link and TOTP without the credentials', async () => {
    keep('APP_SECRET', inject('appSecret'));

    // Staff login: a wrong password, then the right one; the session is used as a Bearer header and a cookie.
    expect(
      (await login('admin@demo.local', keep('a wrong password', 'Parolă-greșită-4417'))).statusCode,
    ).toBe(401);
    const staff = await login('admin@demo.local', keep('the staff password', PASSWORD));
    expect(staff.statusCode).toBe(200);
    const adminToken = keep('a staff session token', staff.json<{ token: string }>().token);
    const admin = { authorization: `Bearer ${adminToken}` };
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `session=${adminToken}` },
    });
    expect(me.statusCode).toBe(200);

    // Portal: a one-time code from the real mailbox, a session, a link with both factors, a complaint.
    const email = freshEmail('jurnal');
    expect((await requestCode(t, email)).statusCode).toBe(202);
    const code = keep('a portal login code', await waitForCode(email));
    const session = await verifyCode(t, email, code);
    expect(session.statusCode).toBe(201);
    const consumer = {
      authorization: `Bearer ${keep('a portal session token', session.json<{ token: string }>().token)}`,
    };
    keep('a contract number typed to link', MARIA.contractNumber);
    keep('a meter serial typed to link', MARIA.meterSerial);
    const linked = await link(t, consumer, MARIA);
    expect(linked.statusCode).toBe(201);
    const submitted = await submit(
      t,
      consumer,
      complaintForm({
        category: 'facturare',
        subject: 'Factură de verificat',
        body: 'Vă rog să verificați factura din luna trecută, indexul nu corespunde.',
        placeId: linked.json<{ places: Array<{ id: string }> }>().places[0]!.id,
      }),
    );
    expect(submitted.statusCode).toBe(201);
    const { number, accessCode } = submitted.json<{ number: string; accessCode: string }>();
    keep('a status access code', accessCode);

    // The status lookup carries the access code in the URL's query: the API's, and the pages' (logged as any URL).
    const status = await t.app.inject({
      method: 'GET',
      url: `/api/status/${number}?code=${encodeURIComponent(accessCode)}`,
      remoteAddress: freshIp(),
    });
    expect(status.statusCode).toBe(200);
    for (const url of [`/status?number=${number}&code=${accessCode}`, `/status/${number}?code=${accessCode}`])
      await t.app.inject({ method: 'GET', url, remoteAddress: freshIp() });

    // A password-setting link, e-mailed to a new staff member, opened and spent.
    const newEmail = `jurnal-${Date.now()}@demo.local`;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: { name: 'Irina Jurnal', email: newEmail, roles: ['agent'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const mail = await waitFor(async () => (await readMailbox(newEmail)).at(-1));
    const linkToken = keep(
      'a password link token',
      /\/account\/password\?token=([a-z2-7]{32})/.exec(mail.text ?? '')?.[1] ?? '',
    );
    await t.app.inject({
      method: 'GET',
      url: `/account/password?token=${linkToken}`,
      remoteAddress: freshIp(),
    });
    const checked = await t.app.inject({
      method: 'POST',
      url: '/api/account/password-link',
      payload: { token: linkToken },
    });
    expect(checked.statusCode).toBe(200);
    const newPassword = keep('a chosen password', 'o frază lungă pentru jurnal 91');
    const chosen = await t.app.inject({
      method: 'POST',
      url: '/api/account/password',
      payload: { token: linkToken, password: newPassword, passwordConfirmation: newPassword },
    });
    expect(chosen.statusCode, chosen.body).toBe(200);

    // TOTP: enrolment (secret, first code, recovery codes), then a login with a code and one with a recovery code.
    const first = await login(newEmail, newPassword);
    expect(first.statusCode).toBe(200);
    const staffHeaders = {
      authorization: `Bearer ${keep('a staff session token', first.json<{ token: string }>().token)}`,
    };
    const setup = await t.app.inject({
      method: 'POST',
      url: '/api/account/totp/setup',
      headers: staffHeaders,
    });
    expect(setup.statusCode).toBe(200);
    const totpSecret = keep('a TOTP secret', setup.json<{ secret: string }>().secret);
    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/account/totp/confirm',
      headers: staffHeaders,
      payload: { code: keep('a TOTP code', totpCode(totpSecret)) },
    });
    expect(confirm.statusCode).toBe(200);
    const recovery = confirm.json<{ recoveryCodes: string[] }>().recoveryCodes;
    recovery.forEach((c) => keep('a recovery code', c));
    const second = await login(newEmail, newPassword);
    const secondToken = keep('a staff session token', second.json<{ token: string }>().token);
    const withRecovery = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp',
      headers: { authorization: `Bearer ${secondToken}` },
      remoteAddress: freshIp(),
      payload: { code: recovery[0]! },
    });
    expect(withRecovery.statusCode, withRecovery.body).toBe(200);

    // No secret in this app's log nor in any other log of the run; and the requests are there, so the search
    // searched something.
    const dir = path.dirname(t.logFile);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.log'))
      .map((f) => path.join(dir, f));
    expect(files).toContain(t.logFile);
    const leaks = scanLogFiles(files, secrets);
    expect(leaks, leaks.length ? describeLeaks(leaks) : '').toEqual([]);
    const log = readFileSync(t.logFile, 'utf8');
    for (const seen of [
      '"url":"/api/auth/login"',
      `"url":"/api/status/${number}?code=[redacted]"`,
      `"url":"/status?number=[redacted]&code=[redacted]"`,
      '"url":"/account/password?token=[redacted]"',
      '"url":"/api/account/totp/confirm"',
      '"url":"/api/portal/links"',
      '"level":20',
    ])
      expect(log).toContain(seen);
  });

  it('the search finds what it looks for: a value, a Bearer token, an unblanked query code', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'log-scan-'));
    const file = path.join(dir, 'x.log');
    writeFileSync(
      file,
      [
        '{"level":30,"time":1796224633381,"msg":"ok"}',
        '{"msg":"login","pwd":"Demo-2026!"}',
        '{"req":{"headers":{"authorization":"Bearer abcdefabcdefabcdefabcdefabcdefab"}}}',
        '{"req":{"url":"/status?number=[redacted]&code=K7P2M9QX"}}',
        '{"msg":"code 123456 sent"}',
      ].join('\n'),
    );
    const leaks = scanLogFiles(
      [file],
      [
        { what: 'the password', value: 'Demo-2026!' },
        { what: 'a login code', value: '123456' },
        { what: 'a code inside a timestamp', value: '224633' },
      ],
    );
    expect(leaks.map((l) => [l.line, l.what])).toEqual([
      [2, 'the password'],
      [3, 'a Bearer token'],
      [4, 'a code in a URL'],
      [5, 'a login code'],
    ]);
    expect(holds('time 1796224633381', '224633')).toBe(false);
  });
});
