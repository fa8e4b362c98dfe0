import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  caseDeliveryFailures,
  caseMessages,
  cases,
  inboundAttachments,
  inboundMessages,
  mailQuarantine,
} from '../../db/schema/index.ts';
import type { ParsedAttachment } from './parse-message.ts';

/** Thrown inside a transaction when the message was already recorded: the transaction rolls back, nothing doubles. */
export class AlreadyRecordedError extends Error {
  constructor() {
    super('inbound message already recorded');
  }
}

export async function findInbound(db: DbOrTx, tenantId: string, dedupeKey: string) {
  const [row] = await db
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.tenantId, tenantId), eq(inboundMessages.dedupeKey, dedupeKey)));
  return row ?? null;
}

/** Inserts the message row; throws AlreadyRecordedError when it exists (crash and re-delivery, or a second intake). */
export async function insertInbound(
  tx: DbOrTx,
  row: typeof inboundMessages.$inferInsert,
  /** What is recorded of each attachment; its bytes are in the blob store already (by sha256). */
  attachments: Array<Omit<ParsedAttachment, 'content'>>,
): Promise<string> {
  const [created] = await tx
    .insert(inboundMessages)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: inboundMessages.id });
  if (!created) throw new AlreadyRecordedError();
  if (attachments.length)
    await tx.insert(inboundAttachments).values(
      attachments.map((a) => ({
        tenantId: row.tenantId,
        inboundMessageId: created.id,
        sha256: a.sha256,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        disposition: a.disposition,
        contentId: a.contentId,
      })),
    );
  return created.id;
}

/** Our outgoing message (acknowledgement, answer) with one of these Message-IDs, within the tenant. */
export async function findOutgoingByMessageId(db: DbOrTx, tenantId: string, messageIds: string[]) {
  if (!messageIds.length) return null;
  const [row] = await db
    .select({
      caseId: caseMessages.caseId,
      number: cases.number,
      messageKind: caseMessages.kind,
      toAddress: caseMessages.toAddress,
      at: caseMessages.sentAt,
    })
    .from(caseMessages)
    .innerJoin(cases, eq(cases.id, caseMessages.caseId))
    .where(
      and(
        eq(caseMessages.tenantId, tenantId),
        eq(cases.tenantId, tenantId),
        eq(caseMessages.direction, 'out'),
        inArray(caseMessages.messageId, messageIds.slice(0, 100)),
      ),
    )
    .orderBy(desc(caseMessages.sentAt))
    .limit(1);
  return row ?? null;
}

/**
 * The case of a message the consumer (or someone on their behalf) sent us, by its Message-ID, within the tenant:
 * the complaint that opened the case or a later reply. Automatic mail and the operator's answers do not count.
 */
export async function findCaseOfInboundMessage(db: DbOrTx, tenantId: string, messageIds: string[]) {
  if (!messageIds.length) return null;
  const [row] = await db
    .select({ caseId: cases.id, number: cases.number, at: inboundMessages.arrivedAt })
    .from(inboundMessages)
    .innerJoin(cases, and(eq(cases.id, inboundMessages.caseId), eq(cases.tenantId, tenantId)))
    .where(
      and(
        eq(inboundMessages.tenantId, tenantId),
        inArray(inboundMessages.kind, ['complaint', 'reply']),
        inArray(inboundMessages.messageId, messageIds.slice(0, 100)),
      ),
    )
    .orderBy(desc(inboundMessages.arrivedAt))
    .limit(1);
  return row ?? null;
}

export async function recordQuarantine(db: DbOrTx, row: typeof mailQuarantine.$inferInsert) {
  await db.insert(mailQuarantine).values(row).onConflictDoNothing();
}

export async function recordDeliveryFailure(db: DbOrTx, row: typeof caseDeliveryFailures.$inferInsert) {
  await db.insert(caseDeliveryFailures).values(row).onConflictDoNothing();
}

export async function markCorrelated(db: DbOrTx, id: string) {
  await db.update(inboundMessages).set({ correlated: true }).where(eq(inboundMessages.id, id));
}

/** For the intake officer: what sits in quarantine, newest first. */
export function listQuarantine(db: DbOrTx, tenantId: string) {
  return db
    .select()
    .from(mailQuarantine)
    .where(and(eq(mailQuarantine.tenantId, tenantId), isNull(mailQuarantine.resolvedAt)))
    .orderBy(desc(mailQuarantine.createdAt));
}

/** Asks the correlation (correlation.ts) to deliver `message` to the waiting process, from `at` on. */
export async function setPendingMessage(db: DbOrTx, id: string, message: string, at: Date) {
  await db
    .update(inboundMessages)
    .set({ pendingMessage: message, nextCorrelationAt: at })
    .where(eq(inboundMessages.id, id));
}

/** Removes the personal data of what came in for a case (retention, erasure): senders, texts, file names. */
export async function anonymiseInboundOfCase(db: DbOrTx, tenantId: string, caseId: string, removed: string) {
  await db.execute(sql`
    update inbound_attachments set filename = null where inbound_message_id in
      (select id from inbound_messages where case_id = ${caseId} and tenant_id = ${tenantId})`);
  await db.execute(sql`
    update inbound_messages set from_address = null, from_name = null, subject = ${removed}, text_body = ${removed},
      safe_html = null where case_id = ${caseId} and tenant_id = ${tenantId}`);
  await db.execute(sql`
    update mail_quarantine set subject = null, from_address = null where case_id = ${caseId} and tenant_id = ${tenantId}`);
  await db.execute(sql`
    update case_delivery_failures set to_address = null where case_id = ${caseId} and tenant_id = ${tenantId}`);
}

/** A message's pending correlation with its case's number and process instance (null when not found). */
export async function pendingCorrelation(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      id: inboundMessages.id,
      tenantId: inboundMessages.tenantId,
      pendingMessage: inboundMessages.pendingMessage,
      attempts: inboundMessages.correlationAttempts,
      arrivedAt: inboundMessages.arrivedAt,
      number: cases.number,
      processInstanceId: cases.processInstanceId,
    })
    .from(inboundMessages)
    .innerJoin(cases, and(eq(cases.id, inboundMessages.caseId), eq(cases.tenantId, inboundMessages.tenantId)))
    .where(eq(inboundMessages.id, id));
  return row ?? null;
}

/** The correlation is over: delivered (`correlated`) or not waited for by any process. */
export async function finishCorrelation(db: DbOrTx, id: string, correlated: boolean, attempts: number) {
  await db
    .update(inboundMessages)
    .set({
      pendingMessage: null,
      correlated,
      correlationAttempts: attempts,
      lastCorrelationError: correlated ? null : 'no process instance waits for this message',
      nextCorrelationAt: null,
    })
    .where(eq(inboundMessages.id, id));
}

/** Keeps the message pending and schedules the next attempt. */
export async function deferCorrelationUntil(
  db: DbOrTx,
  id: string,
  attempts: number,
  reason: string,
  at: Date,
) {
  await db
    .update(inboundMessages)
    .set({ correlationAttempts: attempts, lastCorrelationError: reason.slice(0, 500), nextCorrelationAt: at })
    .where(eq(inboundMessages.id, id));
}

/** Leases up to `limit` messages whose correlation is due (SKIP LOCKED: two intake processes never take one). */
export async function leaseDueCorrelations(db: DbOrTx, limit: number, leaseUntil: Date) {
  const due = db
    .select({ id: inboundMessages.id })
    .from(inboundMessages)
    .where(
      and(
        isNotNull(inboundMessages.pendingMessage),
        or(isNull(inboundMessages.nextCorrelationAt), lte(inboundMessages.nextCorrelationAt, sql`now()`)),
      ),
    )
    .orderBy(asc(inboundMessages.createdAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return db
    .update(inboundMessages)
    .set({ nextCorrelationAt: leaseUntil })
    .where(inArray(inboundMessages.id, due))
    .returning({ id: inboundMessages.id, tenantId: inboundMessages.tenantId });
}
