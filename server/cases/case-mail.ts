import { createHash } from 'node:crypto';
import { deliveryChannel, type DeliveryChannel } from '../codes/delivery.ts';
import type { Case, Tenant } from '../db/schema/index.ts';
import type { Db, Tx } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/index.ts';
import { queueLetter } from '../documents/index.ts';
import type { Mailer } from '../mail/mailer.ts';
import { renderCaseLetterMail, type CaseLetter } from '../mail/templates/case-letters.ts';
import { refreshTasksOfCase } from '../task-read-model/index.ts';
import { getTenant } from '../tenants/index.ts';
import { statusLinkOf } from './access-code.ts';
import { addCaseEvent, getCaseById, insertOutgoingMessage, updateCaseFromWorker } from './cases.repo.ts';
import { issueNoticeLetter, postalAddressOf } from './letters.service.ts';

/*
 * What the external-task workers do to a case (server/workers, one file per topic): load it, e-mail the consumer
 * once per kind of message, send a letter by e-mail or post, and record the step (the case's fields, its history,
 * the audit) in one transaction. The rules live here, in the case's module; a worker names the step.
 */

/** What these functions use of a worker's dependencies. */
export interface CaseMailDeps {
  db: Db;
  mailer: Mailer;
  secret: string;
}

export interface CaseContext {
  c: Case;
  tenant: Tenant;
  statusUrl: string;
  accessCode: string;
}

export async function loadCaseContext(
  deps: CaseMailDeps,
  tenantId: string,
  caseId: string,
): Promise<CaseContext> {
  const [c, tenant] = await Promise.all([
    getCaseById(deps.db, tenantId, caseId),
    getTenant(deps.db, tenantId),
  ]);
  if (!c || !tenant) throw new DomainError('CASE_NOT_FOUND', { caseId });
  return { c, tenant, ...statusLinkOf(deps.secret, tenant, c.number) };
}

/**
 * Sends one message of a kind for a case at most once: the (case, kind) row is inserted in the same transaction
 * that sends, so a retried task finds it and does not e-mail the consumer twice.
 */
export async function sendCaseMailOnce(
  deps: CaseMailDeps,
  ctx: CaseContext,
  /** One message of this kind per case: `acknowledgement`, `answer`, `filed`, `extension`, `compensation`, … */
  kind: string,
  mail: {
    subject: string;
    html: string;
    text: string;
    attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
  },
  after: (tx: Tx) => Promise<void>,
): Promise<'sent' | 'already-sent'> {
  const to = ctx.c.contactEmail;
  if (!to) throw new Error('Reclamația nu are o adresă de e-mail de contact.');
  const domain = new URL(ctx.tenant.publicUrl).hostname || 'reclamatii.local';
  const messageId = `<${kind}.${ctx.c.id}@${domain}>`;
  return deps.db.transaction(async (tx) => {
    const inserted = await insertOutgoingMessage(tx, {
      tenantId: ctx.c.tenantId,
      caseId: ctx.c.id,
      direction: 'out',
      kind,
      toAddress: to,
      subject: mail.subject,
      messageId,
      // Kept for the case page: what the consumer received, with the hashes of what was attached.
      text: mail.text,
      attachments: (mail.attachments ?? []).map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        size: a.content.length,
        sha256: createHash('sha256').update(a.content).digest('hex'),
      })),
    });
    if (!inserted) return 'already-sent';
    // The case's own writes go first, so once the mail server has taken the message only the commit is left. A
    // crash in that moment (kill -9 between the server's 250 and our commit) sends the message again when the task
    // is retried, with the same Message-ID: SMTP offers no exactly-once, and a receiver that keeps one message per
    // Message-ID (as Gmail does) shows it once. The chaos test counts such redeliveries (bench/README.md).
    await after(tx);
    await deps.mailer.send({ to, messageId, ...mail, headers: { 'X-Reclamatii-Case': ctx.c.number } });
    return 'sent';
  });
}

type WorkerStep = Parameters<typeof recordWorkerStep>[2];
type WorkerUpdate = NonNullable<Parameters<typeof recordWorkerStep>[3]>;

/** An e-mail to the consumer (sendCaseMailOnce). */
export type CaseMail = Parameters<typeof sendCaseMailOnce>[3];

/** A PDF letter issued for the post: the stored document and the address it goes to (null: not known yet). */
export interface IssuedLetter {
  doc: { id: number; sha256: string };
  address: string | null;
}

/** The step a delivery records (recordWorkerStep): its history entry and audit action, the case update, details. */
export interface DeliveryStep {
  step: WorkerStep;
  update?: WorkerUpdate;
  details?: Record<string, unknown>;
}

/**
 * Something for the consumer of a case, delivered the way they can get it (deliveryChannel in server/codes):
 * by e-mail when the case has an address, else as a letter queued in the postal dispatch register.
 */
export interface ConsumerDelivery {
  /** One e-mail of this kind per case (sendCaseMailOnce: the retried task does not send it twice). */
  kind: string;
  /** The e-mail, rendered only when it goes by e-mail. */
  mail: () => Promise<CaseMail>;
  /** The letter, issued only when it goes by post; null when there is no address to post it to: nothing is sent. */
  letter: () => Promise<IssuedLetter | null>;
  /**
   * The step recorded with it, in the same transaction: by e-mail in the one that commits once SMTP accepted the
   * message (so a moment taken here is that acceptance), by post with the letter queued.
   */
  step: (by: DeliveryChannel | 'none', letter: IssuedLetter | null) => DeliveryStep;
}

/**
 * The one way a worker delivers something to a case's consumer: by e-mail (once per kind) with its step, else by
 * post (the letter queued in the postal dispatch register with its step in one transaction), else, with no
 * address, only the step. Returns how it went.
 */
export async function deliverToConsumer(
  deps: CaseMailDeps,
  ctx: CaseContext,
  d: ConsumerDelivery,
): Promise<DeliveryChannel | 'none'> {
  const record = (tx: Tx, s: DeliveryStep) => recordWorkerStep(tx, ctx, s.step, s.update, s.details);
  if (deliveryChannel(ctx.c) === 'email') {
    const mail = await d.mail();
    await sendCaseMailOnce(deps, ctx, d.kind, mail, (tx) => record(tx, d.step('email', null)));
    return 'email';
  }
  const letter = await d.letter();
  if (!letter) {
    await deps.db.transaction((tx) => record(tx, d.step('none', null)));
    return 'none';
  }
  await deps.db.transaction(async (tx) => {
    await queueLetter(tx, {
      tenantId: ctx.c.tenantId,
      caseId: ctx.c.id,
      documentId: letter.doc.id,
      recipientName: ctx.c.contactName,
      address: letter.address,
    });
    await record(tx, d.step('post', letter));
  });
  return 'post';
}

/**
 * Sends a case letter (server/mail/templates/case-letters.ts) the way the consumer can get it (deliverToConsumer):
 * by e-mail when we have an address (once per `kind`; the communication moment is when SMTP accepted it), else as
 * a PDF letter in the postal dispatch register (the communication moment is its recorded dispatch), else not at
 * all (no e-mail, no address: e.g. an anonymous complaint). The step, the case update and the audit entry commit
 * with it. `update` may be a function of the moment SMTP accepted the e-mail (null when nothing was e-mailed).
 */
export function sendCaseLetter(
  deps: CaseMailDeps,
  ctx: CaseContext,
  kind: string,
  documentKind: 'completion_request_letter' | 'extension_letter' | 'filing_letter' | 'compensation_letter',
  letter: CaseLetter,
  step: WorkerStep,
  update: WorkerUpdate | ((emailedAt: Date | null) => WorkerUpdate),
  details: Record<string, unknown> = {},
): Promise<DeliveryChannel | 'none'> {
  const upd = (at: Date | null) => (typeof update === 'function' ? update(at) : update);
  return deliverToConsumer(deps, ctx, {
    kind,
    mail: () => renderCaseLetterMail(ctx.tenant.name, letter),
    letter: async () =>
      (await postalAddressOf(deps.db, ctx.c.tenantId, ctx.c.number))
        ? issueNoticeLetter(deps.db, ctx.tenant, ctx.c.number, documentKind, letter)
        : null,
    step: (by, issued) => ({
      step,
      update: upd(by === 'email' ? new Date() : null),
      details: { ...details, by, ...(issued ? { document: issued.doc.sha256 } : {}) },
    }),
  });
}

export async function recordWorkerStep(
  tx: Tx,
  ctx: CaseContext,
  step: { action: string; eventType: string; message: string; visibility: 'public' | 'internal' },
  update: Partial<
    Pick<
      Case,
      | 'status'
      | 'answerSentAt'
      | 'closedAt'
      | 'breachedAt'
      | 'delayDays'
      | 'compensationLei'
      | 'dueDate'
      | 'originalDueDate'
      | 'extendedAt'
      | 'answerCommunicatedAt'
      | 'answerCommunicatedBy'
      | 'extensionReason'
      | 'completionRequestedAt'
      | 'completionReceivedAt'
      | 'compensationPaidOn'
      | 'compensationPaymentMethod'
      | 'compensationPaidLei'
      | 'compensationNotifiedAt'
      | 'filedReason'
      | 'kind'
    >
  > = {},
  details: Record<string, unknown> = {},
) {
  if (Object.keys(update).length) await updateCaseFromWorker(tx, ctx.c.tenantId, ctx.c.id, update);
  // A moved deadline (extension, completion pause): the open tasks in the inbox show the new due date at once.
  if (update.dueDate) await refreshTasksOfCase(tx, ctx.c.tenantId, ctx.c.id);
  await addCaseEvent(tx, {
    tenantId: ctx.c.tenantId,
    caseId: ctx.c.id,
    type: step.eventType,
    visibility: step.visibility,
    message: step.message,
  });
  await appendAudit(tx, {
    tenantId: ctx.c.tenantId,
    actorKind: 'worker',
    action: step.action,
    entityType: 'case',
    entityId: ctx.c.id,
    details,
  });
}
