import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { auditLog, cases, mailAccounts, tenants } from '../../server/db/schema/index.ts';
import { setMailbox } from '../../server/intake/mail/set-mailbox.ts';
import { createTenant, createUser } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  appendRaw,
  giveTenantsFreshAddresses,
  messageId,
  rfc822,
  runIntake,
  type RunningIntake,
} from './intake-helpers.ts';

/**
 * The supplier's admin points the e-mail intake at the supplier's own mailbox: settings checked by connecting
 * once (reasons in Romanian), saved with a write-only password (encrypted, audited without it), and the running
 * intake moves to the new mailbox without a restart. Real IMAP server (the run's dovecot).
 */
describe('complaint mailbox settings', () => {
  let t: TestContext;
  let intake: RunningIntake;
  let admin: Record<string, string>;
  const ownBox = `reclamatii-${randomBytes(4).toString('hex')}@furnizor.local`;
  const password = `Parola-Cutiei-${randomBytes(6).toString('hex')}`;
  const settings = () => ({
    host: inject('imapHost'),
    port: inject('imapPort'),
    secure: false,
    username: ownBox,
    mailbox: 'INBOX',
    processedFolder: 'Processed',
    quarantineFolder: 'Quarantine',
    enabled: true,
  });

  beforeAll(async () => {
    t = await createTestContext();
    await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
    admin = await t.login('admin@demo.local');
    intake = await runIntake({ db: t.db, engine: t.engine, secret: inject('appSecret') }, [t.demoTenantId], {
      reloadIntervalMs: 300,
    });
  });
  afterAll(async () => {
    await intake?.stop();
    await t?.close();
  });

  const call = (
    method: 'GET' | 'PUT' | 'POST',
    url: string,
    headers: Record<string, string>,
    payload?: object,
  ) => t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });

  /**
   * The admin of a tenant of its own, with no mailbox saved: DEMO's is saved by the steps below, in whatever
   * order this file's tests run. `officer`: one of its officers too.
   */
  async function freshTenant() {
    const tenant = await createTenant(t);
    const user = await createUser(t, { tenantId: tenant.id, roles: ['admin'], jobRoles: [] });
    const officer = await createUser(t, { tenantId: tenant.id });
    return { admin: await user.login(), officer: await officer.login() };
  }

  it('is for the admin only, and starts on the installation mail server', async () => {
    const { admin, officer } = await freshTenant();
    expect((await call('GET', '/api/mailbox', officer)).statusCode).toBe(403);
    expect((await call('PUT', '/api/mailbox', officer, { ...settings(), password })).statusCode).toBe(403);
    const res = await call('GET', '/api/mailbox', admin);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ configured: false, passwordSet: false, host: null, enabled: true });
  });

  it('checks a connection and says why it failed, in Romanian', async () => {
    const { admin } = await freshTenant();
    // A mailbox of its own: empty, its folders not made yet (the intake below moves mail out of DEMO's).
    const box = `reclamatii-${randomBytes(4).toString('hex')}@furnizor.local`;
    const boxSettings = () => ({ ...settings(), username: box });
    const unknown = await call('POST', '/api/mailbox/check', admin, {
      ...boxSettings(),
      host: 'imap.nu-exista.invalid',
      port: 993,
      password,
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'MAILBOX_UNREACHABLE' });
    expect(unknown.json<{ message: string }>().message).toBe(
      'Numele serverului imap.nu-exista.invalid nu poate fi găsit.',
    );

    const noFolder = await call('POST', '/api/mailbox/check', admin, {
      ...boxSettings(),
      mailbox: 'Reclamatii-inexistent',
      password,
    });
    expect(noFolder.statusCode).toBe(422);
    expect(noFolder.json<{ message: string }>().message).toBe(
      'Dosarul „Reclamatii-inexistent” nu există în această căsuță.',
    );

    // Without a password and none stored there is nothing to try.
    const noPassword = await call('POST', '/api/mailbox/check', admin, boxSettings());
    expect(noPassword.statusCode).toBe(422);
    expect(noPassword.json()).toMatchObject({ code: 'MAILBOX_PASSWORD_REQUIRED' });

    const ok = await call('POST', '/api/mailbox/check', admin, { ...boxSettings(), password });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ messages: 0, foldersToCreate: ['Processed', 'Quarantine'] });
  });

  it("refuses loopback, private addresses and the installation's own ports (only the run's mail server is allowed)", async () => {
    const { admin } = await freshTenant();
    const databasePort = Number(new URL(inject('adminDatabaseUrl')).port || 5432);
    for (const [host, port] of [
      ['127.0.0.1', 1],
      ['127.0.0.1', databasePort],
      ['localhost', inject('imapPort')], // a name is resolved: loopback all the same
      ['10.20.30.40', 993],
      ['169.254.169.254', 143],
      ['[::1]', inject('imapPort')],
    ] as const) {
      // Half through the check, half through saving (the check allows 10 calls a minute).
      const [method, url] =
        port === 993 || port === 143 ? ['PUT', '/api/mailbox'] : ['POST', '/api/mailbox/check'];
      const res = await call(method as 'PUT' | 'POST', url, admin, { ...settings(), host, port, password });
      expect(res.statusCode, `${host}:${port}`).toBe(422);
      expect(res.json(), `${host}:${port}`).toMatchObject({ code: 'OUTBOUND_REFUSED' });
      expect(res.json<{ message: string }>().message).toContain(
        `Conexiunea la ${host.replace(/[[\]]/g, '')}:${port} nu este permisă`,
      );
    }
    // Nor can such a server be saved for the intake to connect to later.
    const saved = await call('PUT', '/api/mailbox', admin, {
      ...settings(),
      host: '127.0.0.1',
      port: databasePort,
      password,
    });
    expect(saved.statusCode).toBe(422);
    expect(saved.json()).toMatchObject({ code: 'OUTBOUND_REFUSED' });
    expect((await call('GET', '/api/mailbox', admin)).json()).toMatchObject({ configured: false });
  });

  // A story: the running intake moves to the mailbox the first step saves for DEMO.
  describe('saved for DEMO', { shuffle: false }, () => {
    it('saves the settings with a write-only password and audits the change without it', async () => {
      expect((await call('PUT', '/api/mailbox', admin, settings())).statusCode).toBe(422);
      const saved = await call('PUT', '/api/mailbox', admin, { ...settings(), password });
      expect(saved.statusCode).toBe(200);
      expect(saved.json()).toMatchObject({ configured: true, passwordSet: true, username: ownBox });
      expect(saved.body).not.toContain(password);
      const [row] = await t.db.select().from(mailAccounts).where(eq(mailAccounts.tenantId, t.demoTenantId));
      expect(row!.passwordEnc).not.toContain(password);
      const audits = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tenantId, t.demoTenantId), eq(auditLog.action, 'tenant.mailbox_changed')));
      expect(audits).toHaveLength(1);
      expect(JSON.stringify(audits[0])).not.toContain(password);
      expect(audits[0]!.details).toMatchObject({ passwordChanged: true });

      // Saving again without a password keeps the stored one; the other tenant is untouched.
      const again = await call('PUT', '/api/mailbox', admin, { ...settings(), processedFolder: 'Preluate' });
      expect(again.json()).toMatchObject({ passwordSet: true, processedFolder: 'Preluate' });
      // Another server (host, port, or TLS turned off) never gets the stored password: it must be typed again.
      for (const change of [{ host: 'imap.alt-furnizor.example' }, { port: 993 }]) {
        for (const method of change.host ? (['PUT', 'POST'] as const) : (['PUT'] as const)) {
          const res = await call(method, method === 'PUT' ? '/api/mailbox' : '/api/mailbox/check', admin, {
            ...settings(),
            ...change,
          });
          expect(res.statusCode, JSON.stringify(change)).toBe(422);
          expect(res.json()).toMatchObject({ code: 'MAILBOX_PASSWORD_REQUIRED_NEW_SERVER' });
        }
      }
      expect((await call('GET', '/api/mailbox', admin)).json()).toMatchObject({
        host: inject('imapHost'),
        passwordSet: true,
      });
      await createUser(t, {
        tenantId: t.acmeTenantId,
        email: 'admin-mailbox@acme.local',
        name: 'Acme Admin',
        roles: ['admin'],
        jobRoles: [],
      });
      const acmeAdmin = await t.login('admin-mailbox@acme.local');
      expect((await call('GET', '/api/mailbox', acmeAdmin)).json()).toMatchObject({ configured: false });
    });

    it('the running intake reads the new mailbox without a restart', async () => {
      const before = intake.outcomes.length;
      await appendRaw(
        ownBox,
        rfc822(
          {
            From: 'Maria Ionescu <maria.ionescu@gmail.test>',
            To: ownBox,
            Subject: 'Factura prea mare',
            'Message-ID': messageId(),
          },
          'Factura pentru locul de consum RO005E512345678 este prea mare.',
        ),
      );
      const [outcome] = await intake.waitForOutcomes(before + 1);
      expect(outcome).toMatchObject({ status: 'registered' });
      const c = await waitFor(async () => {
        const [row] = await t.db
          .select()
          .from(cases)
          .where(and(eq(cases.tenantId, t.demoTenantId), eq(cases.subject, 'Factura prea mare')));
        return row;
      });
      expect(c.channel).toBe('email');
    });
  });

  it('the command line (README) saves a tenant mailbox and --reset forgets it, password included', async () => {
    const [acme] = await t.db.select().from(tenants).where(eq(tenants.id, t.acmeTenantId));
    const env = {
      DATABASE_URL: t.databaseUrl,
      APP_SECRET: inject('appSecret'),
      MAILBOX_PASSWORD: 'parola-cutiei-din-linia-de-comanda',
    };
    const args = [
      '--tenant',
      acme!.code,
      '--host',
      'imap.example.ro',
      '--port',
      '993',
      '--user',
      'r@example.ro',
    ];
    expect(await setMailbox(args, env)).toBe(`mailbox of ${acme!.code} saved`);
    const saved = await t.db.select().from(mailAccounts).where(eq(mailAccounts.tenantId, t.acmeTenantId));
    expect(saved.map((a) => [a.host, a.port, a.username])).toEqual([
      ['imap.example.ro', 993, 'r@example.ro'],
    ]);
    expect(saved[0]!.passwordEnc).not.toContain('parola-cutiei');
    expect(await setMailbox(['--tenant', acme!.code, '--reset'], env)).toContain('forgotten');
    expect(await t.db.select().from(mailAccounts).where(eq(mailAccounts.tenantId, t.acmeTenantId))).toEqual(
      [],
    );
    expect(await setMailbox(['--tenant', acme!.code, '--reset'], env)).toContain('nothing to forget');
  });
});
