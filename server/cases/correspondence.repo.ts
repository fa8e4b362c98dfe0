import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import {
  caseDocuments,
  caseMessages,
  inboundAttachments,
  inboundMessages,
  operatorRequests,
} from '../db/schema/index.ts';

/*
 * The case's correspondence, read from the tables of the modules that write it: what came in (the intake's
 * inbound messages), what we sent (case messages), our requests to the distribution operator (operator-requests)
 * and the case's documents. Reads only: each of those tables has one writer (server/db/schema/README.md).
 */

/** Everything that came in for a case (the complaint itself and replies), with attachments. */
export async function inboundOfCase(db: DbOrTx, tenantId: string, caseId: string) {
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

export function sentMessagesOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .select()
    .from(caseMessages)
    .where(and(eq(caseMessages.tenantId, tenantId), eq(caseMessages.caseId, caseId)))
    .orderBy(asc(caseMessages.sentAt));
}

export function sentOperatorRequestsOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .select()
    .from(operatorRequests)
    .where(
      and(
        eq(operatorRequests.tenantId, tenantId),
        eq(operatorRequests.caseId, caseId),
        isNotNull(operatorRequests.sentAt),
      ),
    );
}

export function documentHashesOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .select({ id: caseDocuments.id, sha256: caseDocuments.sha256 })
    .from(caseDocuments)
    .where(and(eq(caseDocuments.tenantId, tenantId), eq(caseDocuments.caseId, caseId)));
}
