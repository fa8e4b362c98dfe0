import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
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
  attachments: ParsedAttachment[],
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

/** Everything that came in for a case (the complaint itself and replies), with attachments. */
export async function listInboundOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  const messages = await db
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.tenantId, tenantId), eq(inboundMessages.caseId, caseId)))
    // IMAP's arrival time has whole seconds: two messages of the same second keep the order they were taken in.
    .orderBy(asc(inboundMessages.arrivedAt), asc(inboundMessages.createdAt));
  const atts = messages.length
    ? await db
        .select()
        .from(inboundAttachments)
        .where(
          and(
            eq(inboundAttachments.tenantId, tenantId),
            inArray(
              inboundAttachments.inboundMessageId,
              messages.map((m) => m.id),
            ),
          ),
        )
    : [];
  return messages.map((m) => ({ ...m, attachments: atts.filter((a) => a.inboundMessageId === m.id) }));
}

/** Asks the correlation (correlation.ts) to deliver `message` to the waiting process, from `at` on. */
export async function setPendingMessage(db: DbOrTx, id: string, message: string, at: Date) {
  await db
    .update(inboundMessages)
    .set({ pendingMessage: message, nextCorrelationAt: at })
    .where(eq(inboundMessages.id, id));
}
