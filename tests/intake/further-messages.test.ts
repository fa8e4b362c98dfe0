import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  caseEvents,
  caseMessages,
  cases,
  customers,
  inboundMessages,
  mailQuarantine,
} from '../../server/db/schema/index.ts';
import { readMailbox } from '../helpers/mailbox.ts';
import { createCase, demoCustomer } from '../factories/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  appendRaw,
  giveTenantsFreshAddresses,
  messageId,
  rfc822,
  runIntake,
  sendRaw,
  type RunningIntake,
} from './intake-helpers.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

interface CaseMessageJson {
  direction: 'in' | 'out';
  kind: string;
  date: string;
  subject: string;
  text: string | null;
  fromAddress: string | null;
  attachments: Array<{ documentId: number | null; filename: string; size: number; href: string | null }>;
}

/**
 * Issue 12 item 8, through the real intake (mail sent to the local mail server), engine and workers: further
 * messages after an answer open a linked case and the consumer is told; threading against every message of the
 * case, the consumer's own included; the case API's messages; broken MIME; forwarded messages.
 */
describe('further messages from the consumer', () => {
  let t: TestContext;
  let intake: RunningIntake;
  let addr: { demo: string; acme: string };
  let officer: { authorization: string };
  const stamp = Date.now();

  beforeAll(async () => {
    t = await createTestContext({ workers: true });
    addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
    intake = await runIntake({ db: t.db, engine: t.engine, secret: 'test-secret' }, [t.demoTenantId]);
    officer = await t.login('officer@demo.local');
  });
  afterAll(async () => {
    await intake?.stop();
    await t?.close();
  });

  /** Delivers bytes to the tenant's mailbox and returns the intake's outcome for them. */
  async function deliver(raw: string | Buffer, via: 'smtp' | 'imap' = 'imap', from?: string) {
    const before = intake.outcomes.length;
    if (via === 'smtp') await sendRaw(addr.demo, raw, from);
    else await appendRaw(addr.demo, raw);
    return (await intake.waitForOutcomes(before + 1))[before]!;
  }

  async function caseJson(number: string) {
    const r = await t.app.inject({ method: 'GET', url: `/api/complaints/${number}`, headers: officer });
    expect(r.statusCode).toBe(200);
    return r.json<{ status: string; category: string; body: string; messages: CaseMessageJson[] }>();
  }

  it('joins a follow-up written from the Sent folder (naming only the consumer’s own first message) to the open case, and the case API shows every message with its text and attachments', async () => {
    const consumer = `sent.folder.${stamp}@example.test`;
    const firstId = messageId();
    const first = await deliver(
      rfc822(
        {
          From: `Ana Marin <${consumer}>`,
          To: addr.demo,
          Subject: 'Contor blocat',
          'Message-ID': firstId,
          'Content-Type': 'text/plain; charset=utf-8',
        },
        'Contorul de la locul de consum nu mai înregistrează nimic de o săptămână.',
      ),
      'smtp',
      consumer,
    );
    expect(first.status).toBe('registered');
    if (first.status !== 'registered') return;

    // Written later from the consumer's own Sent folder: no number, only their first message in the headers.
    const followUp = await deliver(
      rfc822(
        {
          From: `Ana Marin <${consumer}>`,
          To: addr.demo,
          Subject: 'Re: Contor blocat',
          'Message-ID': messageId(),
          'In-Reply-To': firstId,
          References: firstId,
          'MIME-Version': '1.0',
          'Content-Type': 'multipart/mixed; boundary="fu"',
        },
        [
          '--fu',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Revin cu fotografia contorului, făcută azi dimineață.',
          '--fu',
          'Content-Type: image/png',
          'Content-Disposition: attachment; filename="contor-azi.png"',
          'Content-Transfer-Encoding: base64',
          '',
          PNG.toString('base64'),
          '--fu--',
          '',
        ].join('\n'),
      ),
    );
    expect(followUp).toMatchObject({ status: 'reply', caseId: first.caseId, number: first.number });
    const ofConsumer = await t.db.select().from(cases).where(eq(cases.contactEmail, consumer));
    expect(ofConsumer).toHaveLength(1);

    // The acknowledgement went out; the case API lists both messages received and the one sent, oldest first.
    const c = await waitFor(async () => {
      const j = await caseJson(first.number);
      return j.messages.some((m) => m.direction === 'out' && m.kind === 'acknowledgement') ? j : null;
    });
    const received = c.messages.filter((m) => m.direction === 'in');
    expect(received.map((m) => m.kind)).toEqual(['complaint', 'reply']);
    expect(received[0]!.text).toContain('nu mai înregistrează nimic');
    expect(received[1]).toMatchObject({
      fromAddress: consumer,
      subject: 'Re: Contor blocat',
      attachments: [{ filename: 'contor-azi.png', size: PNG.length }],
    });
    expect(received[1]!.text).toContain('fotografia contorului');
    const ack = c.messages.find((m) => m.kind === 'acknowledgement')!;
    expect(ack.text).toContain(first.number);
    const dates = c.messages.map((m) => m.date);
    expect([...dates].sort()).toEqual(dates);

    // The attachment downloads from the case, byte for byte, and the download is audited.
    const att = received[1]!.attachments[0]!;
    expect(att.documentId).toEqual(expect.any(Number));
    const download = await t.app.inject({ method: 'GET', url: att.href!, headers: officer });
    expect(download.statusCode).toBe(200);
    expect(Buffer.compare(download.rawPayload, PNG)).toBe(0);
    const audits = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, first.caseId), eq(auditLog.action, 'case.attachment_downloaded')));
    expect(audits).toHaveLength(1);
    // An attachment id of another case is not reachable through this one.
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${first.number}/attachments/${att.documentId! + 100000}`,
      headers: officer,
    });
    expect(other.statusCode).toBe(404);
  });

  it('opens a new case linked to a closed one for a reply to it, tells the consumer, and keeps later follow-ups on the new case', async () => {
    const consumer = `closed.reply.${stamp}@example.test`;
    const maria = await demoCustomer(t, '1000234567');
    // Resolved during the call: the real process acknowledges by e-mail and closes it without an officer task.
    const closed = await createCase(t, {
      customer: maria,
      place: null,
      subject: 'Întrebare despre factura de octombrie',
      body: 'Clienta a întrebat de ce factura este mai mare; i s-a explicat în timpul apelului.',
      contactEmail: consumer,
      resolvedOnCall: true,
    });
    await waitFor(async () => {
      const [row] = await t.db.select().from(cases).where(eq(cases.id, closed.id));
      return row?.status === 'closed' ? row : null;
    });
    const [ack] = await waitFor(async () => {
      const rows = await t.db
        .select()
        .from(caseMessages)
        .where(and(eq(caseMessages.caseId, closed.id), eq(caseMessages.kind, 'acknowledgement')));
      return rows.length ? rows : null;
    });

    const replyId = messageId();
    const reply = await deliver(
      rfc822(
        {
          From: `Maria Ionescu <${consumer}>`,
          To: addr.demo,
          Subject: 'Re: Reclamația dumneavoastră a fost înregistrată',
          'Message-ID': replyId,
          'In-Reply-To': ack!.messageId!,
          References: ack!.messageId!,
          'Content-Type': 'text/plain; charset=utf-8',
        },
        'Nu sunt de acord cu explicația primită la telefon: factura tot greșită este.',
      ),
      'smtp',
      consumer,
    );
    expect(reply).toMatchObject({
      status: 'further_message',
      earlier: { caseId: closed.id, number: closed.number, status: 'closed' },
    });
    if (reply.status !== 'further_message') return;
    expect(reply.number).not.toBe(closed.number);

    // The new case: registered through the one door, linked like a contestation, the consumer's words kept.
    const [fresh] = await t.db.select().from(cases).where(eq(cases.id, reply.caseId));
    expect(fresh).toMatchObject({
      channel: 'email',
      category: 'solutionare_plangeri',
      contestsCaseId: closed.id,
      customerId: maria.id,
      contactEmail: consumer,
    });
    expect(fresh!.body).toContain('Nu sunt de acord');
    const links = await t.app.inject({
      method: 'GET',
      url: `/api/complaints/${closed.number}/links`,
      headers: officer,
    });
    expect(links.json<{ contestedBy: Array<{ number: string }> }>().contestedBy).toEqual([
      expect.objectContaining({ number: reply.number }),
    ]);
    // The first case stays closed and unchanged, with the link in both timelines and the audit.
    const [earlier] = await t.db.select().from(cases).where(eq(cases.id, closed.id));
    expect(earlier).toMatchObject({ status: 'closed', contestsCaseId: null });
    const earlierEvents = await t.db.select().from(caseEvents).where(eq(caseEvents.caseId, closed.id));
    expect(earlierEvents.find((e) => e.type === 'further_message_registered')?.message).toContain(
      reply.number,
    );
    const freshEvents = await t.db.select().from(caseEvents).where(eq(caseEvents.caseId, reply.caseId));
    expect(freshEvents.find((e) => e.type === 'further_message')?.message).toContain(closed.number);
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, closed.id), eq(auditLog.action, 'case.further_message_registered')));
    expect(audit?.details).toMatchObject({ earlier: closed.number, newCase: reply.number });
    // Nothing was attached to the closed case.
    const onClosed = await t.db.select().from(inboundMessages).where(eq(inboundMessages.caseId, closed.id));
    expect(onClosed).toHaveLength(0);

    // The consumer is told by e-mail: the new number and the link to the first.
    const told = await waitFor(async () =>
      (await readMailbox(consumer)).find((m) => m.subject?.includes(reply.number)),
    );
    expect(told.text).toContain(`reclamația anterioară nr. ${closed.number}`);
    // The new case runs its own process.
    await waitFor(async () => {
      const [row] = await t.db.select().from(cases).where(eq(cases.id, reply.caseId));
      return row?.processInstanceId ?? null;
    });

    // A later follow-up from the Sent folder names the whole thread (the closed case's acknowledgement and the
    // consumer's reply): it continues the newest case, the open one, and opens nothing more.
    const later = await deliver(
      rfc822(
        {
          From: `Maria Ionescu <${consumer}>`,
          To: addr.demo,
          Subject: 'Re: Reclamația dumneavoastră a fost înregistrată',
          'Message-ID': messageId(),
          'In-Reply-To': replyId,
          References: `${ack!.messageId!} ${replyId}`,
        },
        'Adaug și factura de noiembrie, care are aceeași problemă.',
      ),
    );
    expect(later).toMatchObject({ status: 'reply', caseId: reply.caseId });

    // A second, separate reply to the closed case's acknowledgement (not naming the first reply) is about the same
    // answer: it joins the linked case still open instead of opening a third one.
    const second = await deliver(
      rfc822(
        {
          From: `Maria Ionescu <${consumer}>`,
          To: addr.demo,
          Subject: 'Re: Reclamația dumneavoastră a fost înregistrată',
          'Message-ID': messageId(),
          'In-Reply-To': ack!.messageId!,
        },
        'Am uitat să vă spun că am plătit deja factura.',
      ),
    );
    expect(second).toMatchObject({ status: 'reply', caseId: reply.caseId });
    expect(await t.db.select().from(cases).where(eq(cases.contactEmail, consumer))).toHaveLength(2);
  });

  it('lets the officer decide at triage: a further message found to be a new billing complaint is reclassified and keeps its link', async () => {
    const consumer = `new.complaint.${stamp}@example.test`;
    const closed = await createCase(t, {
      category: 'informare_clienti',
      subject: 'Cum citesc factura',
      body: 'Clientul a întrebat cum se citește factura; i s-a explicat în timpul apelului.',
      // A known customer: the new case goes from the e-mail check straight to triage (no identification).
      customer: await demoCustomer(t, '1000876543'),
      place: null,
      contactName: 'Radu Enache',
      contactEmail: consumer,
      resolvedOnCall: true,
    });
    await waitFor(async () => {
      const [row] = await t.db.select().from(cases).where(eq(cases.id, closed.id));
      return row?.status === 'closed' ? row : null;
    });
    const out = await deliver(
      rfc822(
        {
          From: `Radu Enache <${consumer}>`,
          To: addr.demo,
          Subject: `Re: ${closed.number}`,
          'Message-ID': messageId(),
          'Content-Type': 'text/plain; charset=utf-8',
        },
        'Acum am primit factura de decembrie și mi s-a facturat de două ori abonamentul.',
      ),
      'smtp',
      consumer,
    );
    expect(out).toMatchObject({ status: 'further_message', earlier: { number: closed.number } });
    if (out.status !== 'further_message') return;

    const registry = await t.login('registry@demo.local');
    const taskOf = async (headers: { authorization: string }, name: string) => {
      const task = await waitFor(async () => {
        const r = await t.app.inject({ method: 'GET', url: '/api/tasks?scope=groups&pageSize=100', headers });
        return r
          .json<{ items: Array<{ id: string; name: string; case: { number: string } | null }> }>()
          .items.find((x) => x.case?.number === out.number && x.name === name);
      });
      const claim = await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/claim`, headers });
      expect(claim.statusCode, claim.body).toBe(200);
      return task.id;
    };
    const check = await taskOf(registry, 'Verificarea înregistrării primite pe e-mail');
    const checked = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${check}/complete`,
      headers: registry,
      payload: { comment: 'Mesaj ulterior, lizibil; legat de dosarul anterior.' },
    });
    expect(checked.statusCode, checked.body).toBe(200);
    const triage = await taskOf(officer, 'Clasificarea și admisibilitatea reclamației');
    const triaged = await t.app.inject({
      method: 'POST',
      url: `/api/tasks/${triage}/complete`,
      headers: officer,
      payload: {
        outcome: 'admissible',
        category: 'facturare',
        comment: 'Nu contestă răspunsul anterior: este o reclamație nouă privind factura din decembrie.',
      },
    });
    expect(triaged.statusCode, triaged.body).toBe(200);
    const after = await caseJson(out.number);
    expect(after.category).toBe('facturare');
    const [row] = await t.db.select().from(cases).where(eq(cases.id, out.caseId));
    expect(row!.contestsCaseId).toBe(closed.id);
  });

  it('recovers the words of a message whose MIME boundary does not match and is never closed', async () => {
    const out = await deliver(fixture('broken-boundary.eml'));
    expect(out).toMatchObject({ status: 'registered', identified: true });
    if (out.status !== 'registered') return;
    const [c] = await t.db.select().from(cases).where(eq(cases.id, out.caseId));
    expect(c!.body).toContain('Factura din noiembrie pentru locul de consum RO005E512345678');
    expect(c!.body).toContain('Vă rog să o refaceți.');
    expect(c!.body).not.toContain('mesaj fără text');
    expect(c!.body).not.toContain('Content-Type');
    expect(c!.category).toBe('facturare');
    const events = await t.db.select().from(caseEvents).where(eq(caseEvents.caseId, out.caseId));
    expect(events.map((e) => e.type)).toContain('text_recovered');
    const j = await caseJson(c!.number);
    expect(j.messages.find((m) => m.kind === 'complaint')?.text).toContain('autocitirea la timp');
  });

  it('quarantines a broken message with nothing readable in it for a person, opening no case', async () => {
    const casesBefore = await t.db.select().from(cases).where(eq(cases.tenantId, t.demoTenantId));
    const out = await deliver(fixture('broken-unreadable.eml'));
    expect(out.status).toBe('quarantine');
    if (out.status !== 'quarantine') return;
    expect(out.reason).toContain('broken MIME structure');
    const [q] = await t.db
      .select()
      .from(mailQuarantine)
      .where(
        and(
          eq(mailQuarantine.tenantId, t.demoTenantId),
          eq(mailQuarantine.messageId, '<broken-unreadable-1@example.test>'),
        ),
      );
    expect(q).toMatchObject({ subject: 'Scan', fromAddress: 'scanner@example.test', resolvedAt: null });
    const casesAfter = await t.db.select().from(cases).where(eq(cases.tenantId, t.demoTenantId));
    expect(casesAfter).toHaveLength(casesBefore.length);
  });

  it('reads a complaint forwarded as an attached message: the POD inside identifies the customer, its words join the case', async () => {
    const out = await deliver(fixture('forwarded-rfc822.eml'));
    expect(out).toMatchObject({ status: 'registered', identified: true });
    if (out.status !== 'registered') return;
    const [c] = await t.db.select().from(cases).where(eq(cases.id, out.caseId));
    const [maria] = await t.db
      .select()
      .from(customers)
      .where(and(eq(customers.tenantId, t.demoTenantId), eq(customers.customerCode, '1000234567')));
    expect(c).toMatchObject({ customerId: maria!.id, contactEmail: 'andrei.ionescu.fiul@example.test' });
    expect(c!.placeId).not.toBeNull();
    expect(c!.body).toContain('vă trimit mai jos reclamația mamei mele');
    expect(c!.body).toContain('Mesaj redirecționat');
    expect(c!.body).toContain('De la: Maria Ionescu <maria.ionescu.veche@example.test>');
    // ISO-8859-2 quoted-printable inside the forwarded part, decoded.
    expect(c!.body).toContain('de trei ori mai mare decât de obicei');
  });
});
