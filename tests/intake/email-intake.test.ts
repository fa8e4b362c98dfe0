import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseDeliveryFailures,
  caseDocuments,
  caseEvents,
  caseMessages,
  cases,
  inboundAttachments,
  inboundMessages,
  mailBlobs,
  postalDispatches,
} from '../../server/db/schema/index.ts';
import { sha256Hex } from '../../server/intake/mail/parse-message.ts';
import { readMailbox } from '../helpers/mailbox.ts';
import { createCase } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  appendRaw,
  folderContents,
  giveTenantsFreshAddresses,
  messageId,
  rfc822,
  runIntake,
  sendRaw,
  type RunningIntake,
} from './intake-helpers.ts';

/**
 * Issue 3 points 1–3 end to end: a message sent over the local SMTP server to a tenant's complaint address becomes
 * a registered case (acknowledged by the real workers), its bytes are stored as received, and replies, automatic
 * mail, loops and bounces are told apart.
 */
describe('e-mail intake', () => {
  let t: TestContext;
  let intake: RunningIntake;
  let addr: { demo: string; acme: string };
  /** A consumer's address of its own for each case, so that mailboxes never mix between tests. */
  const freshConsumer = () => `ion.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.test`;

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
    intake = await runIntake({ db: t.db, engine: t.engine, secret: 'test-secret' }, [
      t.demoTenantId,
      t.acmeTenantId,
    ]);
  });
  afterAll(async () => {
    await intake?.stop();
    await t?.close();
  });

  /** A complaint e-mailed over SMTP by a fresh consumer, as the intake registered it. */
  async function emailCase() {
    const consumer = freshConsumer();
    const raw = rfc822(
      {
        From: `Ion Vasile <${consumer}>`,
        To: addr.demo,
        Subject: 'Factura din octombrie este prea mare',
        'Message-ID': messageId(),
        Date: new Date().toUTCString(),
        'MIME-Version': '1.0',
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Transfer-Encoding': '8bit',
      },
      'Bună ziua,\nfactura pe octombrie are un consum de trei ori mai mare.\nIon Vasile\n',
    );
    const before = intake.outcomes.length;
    await sendRaw(addr.demo, raw, consumer);
    const outcome = (await intake.waitForOutcomes(before + 1))[before];
    expect(outcome?.status).toBe('registered');
    if (outcome?.status !== 'registered') throw new Error('not registered');
    return { caseId: outcome.caseId, number: outcome.number, consumer, raw };
  }

  /** The acknowledgement the workers e-mailed for a case, once recorded. */
  const acknowledgementOf = (caseId: string) =>
    waitFor(async () => {
      const rows = await t.db
        .select()
        .from(caseMessages)
        .where(and(eq(caseMessages.caseId, caseId), eq(caseMessages.kind, 'acknowledgement')));
      return rows[0];
    });

  it('registers a message sent over SMTP as an e-mail case, stores its bytes, moves it to Processed and acknowledges', async () => {
    const { caseId, consumer, raw } = await emailCase();

    const [c] = await t.db.select().from(cases).where(eq(cases.id, caseId));
    expect(c).toMatchObject({
      tenantId: t.demoTenantId,
      channel: 'email',
      subject: 'Factura din octombrie este prea mare',
      contactEmail: consumer,
      contactName: 'Ion Vasile',
      category: 'facturare',
    });
    expect(c!.body).toContain('de trei ori mai mare');

    // The bytes the mailbox holds (now in Processed) are exactly the stored blob, and contain what was sent.
    const [inbound] = await t.db.select().from(inboundMessages).where(eq(inboundMessages.caseId, c!.id));
    const processed = await waitFor(async () =>
      (await folderContents(addr.demo, 'Processed')).find((m) => sha256Hex(m) === inbound!.rawSha256),
    );
    expect(await folderContents(addr.demo, 'INBOX')).toHaveLength(0);
    const [blob] = await t.db
      .select()
      .from(mailBlobs)
      .where(and(eq(mailBlobs.tenantId, t.demoTenantId), eq(mailBlobs.sha256, inbound!.rawSha256)));
    expect(Buffer.compare(blob!.content!, processed)).toBe(0);
    expect(blob!.content!.includes(Buffer.from(raw))).toBe(true);
    // Received = the arrival time in the mailbox, not "now" at processing.
    expect(Math.abs(c!.receivedAt.getTime() - inbound!.arrivedAt.getTime())).toBeLessThan(1000);

    // The real workers acknowledge the consumer by e-mail.
    const ack = await waitFor(async () =>
      (await readMailbox(consumer)).find((m) => m.subject?.includes(c!.number)),
    );
    expect(ack.messageId).toBeTruthy();
  });

  it('attaches a reply with the registration number in the subject to its case and correlates the BPMN message', async () => {
    const first = await emailCase();
    const consumer = first.consumer;
    const demoCasesBefore = (await t.db.select().from(cases).where(eq(cases.tenantId, t.demoTenantId)))
      .length;
    const before = intake.outcomes.length;
    await appendRaw(
      addr.demo,
      rfc822(
        {
          From: consumer,
          To: addr.demo,
          Subject: `Re: ${first.number} - completare`,
          'Message-ID': messageId(),
          'MIME-Version': '1.0',
          'Content-Type': 'multipart/mixed; boundary="b1"',
        },
        '--b1\nContent-Type: text/plain; charset=utf-8\n\nVă trimit și poza contorului.\n--b1\nContent-Type: image/png\nContent-Disposition: attachment; filename="contor.png"\nContent-Transfer-Encoding: base64\n\niVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\n--b1--\n',
      ),
    );
    const outcomes = await intake.waitForOutcomes(before + 1);
    const reply = outcomes[before]!;
    expect(reply).toMatchObject({
      status: 'reply',
      caseId: first.caseId,
      number: first.number,
      correlated: true,
    });
    // No new case.
    const demoCases = await t.db.select().from(cases).where(eq(cases.tenantId, t.demoTenantId));
    expect(demoCases).toHaveLength(demoCasesBefore);
    const events = await t.db.select().from(caseEvents).where(eq(caseEvents.caseId, first.caseId));
    expect(events.map((e) => e.type)).toContain('consumer_added_information');
    const [row] = await t.db
      .select()
      .from(inboundMessages)
      .where(and(eq(inboundMessages.caseId, first.caseId), eq(inboundMessages.kind, 'reply')));
    const atts = await t.db
      .select()
      .from(inboundAttachments)
      .where(eq(inboundAttachments.inboundMessageId, row!.id));
    expect(atts).toMatchObject([{ filename: 'contor.png', contentType: 'image/png', size: 70 }]);
  });

  it('attaches a reply that only names our acknowledgement in In-Reply-To', async () => {
    const first = await emailCase();
    const ack = await acknowledgementOf(first.caseId);
    const before = intake.outcomes.length;
    await sendRaw(
      addr.demo,
      rfc822(
        {
          From: `Alt Nume <other.address@example.test>`,
          To: addr.demo,
          Subject: 'Re: confirmare',
          'Message-ID': messageId(),
          'In-Reply-To': ack.messageId!,
          References: ack.messageId!,
        },
        'Mai am o întrebare.\n',
      ),
    );
    const outcomes = await intake.waitForOutcomes(before + 1);
    expect(outcomes[before]).toMatchObject({ status: 'reply', caseId: first.caseId });
  });

  it('opens no case for auto-replies, empty Return-Path, X-Autoreply and our own messages', async () => {
    // A case whose number our own messages carry.
    const first = await createCase(t);
    const before = intake.outcomes.length;
    const demoCasesBefore = (await t.db.select().from(cases).where(eq(cases.tenantId, t.demoTenantId)))
      .length;
    await appendRaw(
      addr.demo,
      rfc822(
        {
          From: 'vacation@example.test',
          Subject: 'Out of office',
          'Auto-Submitted': 'auto-replied',
          'Message-ID': messageId(),
        },
        'Sunt în concediu.',
      ),
    );
    await appendRaw(
      addr.demo,
      rfc822(
        {
          From: 'robot@example.test',
          Subject: 'Răspuns automat',
          'X-Autoreply': 'yes',
          'Message-ID': messageId(),
        },
        'x',
      ),
    );
    // Sent with a null envelope sender: dovecot records it as "Return-Path: <>".
    await sendRaw(
      addr.demo,
      rfc822({ From: 'someone@example.test', Subject: 'Notificare', 'Message-ID': messageId() }, 'x'),
      '',
    );
    await appendRaw(
      addr.demo,
      rfc822(
        {
          From: `Reclamații <noreply@reclamatii.local>`,
          Subject: `Confirmare ${first.number}`,
          'X-Reclamatii-Case': first.number,
          'Message-ID': messageId(),
        },
        'loop',
      ),
    );
    const outcomes = (await intake.waitForOutcomes(before + 4)).slice(before);
    expect(outcomes.map((o) => (o.status === 'ignored' ? o.kind : o.status)).sort()).toEqual([
      'auto_reply',
      'auto_reply',
      'auto_reply',
      'loop',
    ]);
    const demoCasesAfter = await t.db.select().from(cases).where(eq(cases.tenantId, t.demoTenantId));
    expect(demoCasesAfter).toHaveLength(demoCasesBefore);
    // No acknowledgement went to any of them.
    expect(await readMailbox('vacation@example.test')).toHaveLength(0);
    expect(await readMailbox('robot@example.test')).toHaveLength(0);
  });

  it('links a bounce of our acknowledgement to its case and flags it for postal delivery', async () => {
    const first = await emailCase();
    const consumer = first.consumer;
    const ack = await acknowledgementOf(first.caseId);
    const before = intake.outcomes.length;
    const bounce = rfc822(
      {
        From: 'Mail Delivery System <MAILER-DAEMON@mx.example.test>',
        To: addr.demo,
        Subject: 'Undelivered Mail Returned to Sender',
        'Message-ID': messageId(),
        'MIME-Version': '1.0',
        'Content-Type': 'multipart/report; report-type=delivery-status; boundary="rpt"',
      },
      [
        '--rpt',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '--rpt',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.test',
        '',
        `Final-Recipient: rfc822; ${consumer}`,
        'Action: failed',
        'Status: 5.1.1',
        '--rpt',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${ack.messageId}`,
        'From: noreply@reclamatii.local',
        `Subject: Confirmare ${first.number}`,
        '--rpt--',
        '',
      ].join('\n'),
    );
    await sendRaw(addr.demo, bounce, '');
    const outcomes = await intake.waitForOutcomes(before + 1);
    expect(outcomes[before]).toMatchObject({ status: 'ignored', kind: 'bounce', caseId: first.caseId });
    const flags = await t.db
      .select()
      .from(caseDeliveryFailures)
      .where(eq(caseDeliveryFailures.caseId, first.caseId));
    expect(flags).toMatchObject([{ messageKind: 'acknowledgement', toAddress: consumer, resolvedAt: null }]);
    const events = await t.db.select().from(caseEvents).where(eq(caseEvents.caseId, first.caseId));
    expect(events.map((e) => e.type)).toContain('email_undeliverable');
    // The acknowledgement is now a letter in the postal register, once, with the consumer's name.
    const letters = await t.db
      .select({ recipientName: postalDispatches.recipientName, kind: caseDocuments.kind })
      .from(postalDispatches)
      .innerJoin(caseDocuments, eq(caseDocuments.id, postalDispatches.documentId))
      .where(eq(postalDispatches.caseId, first.caseId));
    expect(letters).toEqual([{ recipientName: expect.any(String), kind: 'acknowledgement_letter' }]);
    expect(letters[0]!.recipientName.length).toBeGreaterThan(0);
  });

  it('does not process the same message twice when it is delivered again', async () => {
    const raw = rfc822(
      { From: 'twice@example.test', To: addr.demo, Subject: 'Contor defect', 'Message-ID': messageId() },
      'Contorul nu mai afișează indexul.',
    );
    const before = intake.outcomes.length;
    await appendRaw(addr.demo, raw);
    await intake.waitForOutcomes(before + 1);
    await appendRaw(addr.demo, raw);
    const outcomes = await intake.waitForOutcomes(before + 2);
    expect(outcomes.slice(before).map((o) => o.status)).toEqual(['registered', 'duplicate']);
    const rows = await t.db.select().from(cases).where(eq(cases.contactEmail, 'twice@example.test'));
    expect(rows).toHaveLength(1);
  });
});
