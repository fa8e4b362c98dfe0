import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { cases, mailAccounts } from '../../server/db/schema/index.ts';
import { decryptSecret } from '../../server/intake/mail/credentials.ts';
import { saveMailAccount } from '../../server/intake/mail/mail-accounts.repo.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import {
  appendRaw,
  folderContents,
  giveTenantsFreshAddresses,
  imapClient,
  messageId,
  rfc822,
  runIntake,
  sendRaw,
} from './intake-helpers.ts';

/** Bytes no mail client would write, to prove the server stores what it is given. */
function awkwardMessage(): Buffer {
  return Buffer.concat([
    Buffer.from(
      `Message-ID: ${messageId()}\r\nFrom:   "Ion"   <ion@example.test>\r\nSubject: =?windows-1250?Q?Factur=E3?=\r\n\tcontinued   \r\nX-Odd:no-space\r\nContent-Type: text/plain; charset=windows-1250\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`,
    ),
    Buffer.from([
      0x46, 0x61, 0x63, 0x74, 0x75, 0x72, 0xe3, 0x20, 0xba, 0xfe, 0x20, 0xaa, 0xde, 0x20, 0x20, 0x0d, 0x0a,
    ]),
    Buffer.from(`${'x'.repeat(1500)}\r\n.\r\n..two dots\r\n\r\n\r\n`),
  ]);
}

/** Issue 3 point 1: the local mail server keeps bytes verbatim and pushes new mail with IDLE. */
describe('the local mail server (dovecot)', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t?.close());

  it('returns exactly the bytes given by IMAP APPEND', async () => {
    const user = `verbatim-${randomBytes(4).toString('hex')}@reclamatii.local`;
    const raw = awkwardMessage();
    await appendRaw(user, raw);
    const [stored] = await folderContents(user, 'INBOX');
    expect(Buffer.compare(stored!, raw)).toBe(0);
  });

  it('keeps a message sent over SMTP byte for byte, after the trace headers of delivery', async () => {
    const user = `smtp-${randomBytes(4).toString('hex')}@reclamatii.local`;
    const raw = awkwardMessage();
    await sendRaw(user, raw, 'ion@example.test');
    const [stored] = await folderContents(user, 'INBOX');
    const prefix = Buffer.from(`Return-Path: <ion@example.test>\r\nDelivered-To: ${user}\r\n`);
    expect(stored!.subarray(0, prefix.length).toString()).toBe(prefix.toString());
    expect(Buffer.compare(stored!.subarray(prefix.length), raw)).toBe(0);
  });

  it('pushes new mail to an IDLE client', async () => {
    const user = `idle-${randomBytes(4).toString('hex')}@reclamatii.local`;
    await appendRaw(user, rfc822({ From: 'a@example.test', Subject: 'first' }, 'x'));
    const c = imapClient(user);
    await c.connect();
    try {
      await c.mailboxOpen('INBOX');
      expect(c.capabilities.has('IDLE')).toBe(true);
      const pushed = new Promise<number>((resolve) =>
        c.on('exists', (d: { count: number }) => resolve(d.count)),
      );
      void c.idle();
      await new Promise((r) => setTimeout(r, 200));
      const sent = Date.now();
      await appendRaw(user, rfc822({ From: 'a@example.test', Subject: 'second' }, 'y'));
      expect(await pushed).toBe(2);
      expect(Date.now() - sent).toBeLessThan(3000);
    } finally {
      await c.logout().catch(() => c.close());
    }
  });

  it('the intake picks a message up by IDLE push, long before its re-scan would', async () => {
    const addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
    const intake = await runIntake({ db: t.db, engine: t.engine, secret: 's' }, [t.demoTenantId], {
      pollIntervalMs: 120_000,
    });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const sent = Date.now();
      await sendRaw(
        addr.demo,
        rfc822({ From: 'push@example.test', Subject: 'Push', 'Message-ID': messageId() }, 'x'),
      );
      const [o] = await intake.waitForOutcomes(1, 20_000);
      expect(o?.status).toBe('registered');
      expect(Date.now() - sent).toBeLessThan(10_000);
    } finally {
      await intake.stop();
    }
  });

  it('reads a tenant mailbox from its settings in the database, the password stored encrypted', async () => {
    const secret = randomBytes(16).toString('hex');
    const mailbox = `acme-box-${randomBytes(4).toString('hex')}@reclamatii.local`;
    const password = 'parola-cutiei-ACME';
    await saveMailAccount(t.db, secret, t.acmeTenantId, {
      host: inject('imapHost'),
      port: inject('imapPort'),
      secure: false,
      username: mailbox,
      password,
      processedFolder: 'Preluate',
    });
    const [row] = await t.db.select().from(mailAccounts).where(eq(mailAccounts.tenantId, t.acmeTenantId));
    expect(row!.passwordEnc).not.toContain(password);
    expect(decryptSecret(secret, row!.passwordEnc)).toBe(password);
    expect(() => decryptSecret('another-secret', row!.passwordEnc)).toThrow();

    const intake = await runIntake({ db: t.db, engine: t.engine, secret }, [t.acmeTenantId]);
    try {
      await appendRaw(
        mailbox,
        rfc822(
          { From: 'tudor.lazar@mail.test', Subject: 'Gaz', 'Message-ID': messageId() },
          'Cod loc de consum DGN0000002.',
        ),
      );
      const [o] = await intake.waitForOutcomes(1);
      expect(o?.status).toBe('registered');
      if (o?.status !== 'registered') return;
      const [c] = await t.db.select().from(cases).where(eq(cases.id, o.caseId));
      expect(c!.tenantId).toBe(t.acmeTenantId);
      expect(c!.number).toMatch(/^ACME-/);
      expect(await folderContents(mailbox, 'Preluate')).toHaveLength(1);
    } finally {
      await intake.stop();
    }
  });
});
