import type { DbOrTx } from '../db/client.ts';
import {
  anonymiseRequestsOfCase,
  insertRequest,
  latestRequestOfInstance,
  markSent,
  requestByReferenceOrMessageId,
  setMessageIdOnce,
} from './operator-requests.repo.ts';

/*
 * The requests to the distribution operator as other modules write and read them: a task asks (tasks), the
 * worker sends (workers), the intake matches an answer (intake). The operator-requests module owns the table.
 */

/** Records a request of a waiting sub-process instance; the worker sends it, the answer comes back by reference. */
export function createOperatorRequest(
  tx: DbOrTx,
  r: { tenantId: string; caseId: string; caseNumber: string; questions: string; processInstanceId: string },
): Promise<void> {
  return insertRequest(tx, r);
}

/** The latest request of a process instance (the one the send worker sends), or null. */
export function latestOperatorRequest(db: DbOrTx, tenantId: string, processInstanceId: string) {
  return latestRequestOfInstance(db, tenantId, processInstanceId);
}

/** The request an e-mail answers: by our reference in its subject, or by the Message-ID it replies to. */
export function operatorRequestAnswered(
  db: DbOrTx,
  tenantId: string,
  q: { reference: string | null; messageIds: string[] },
) {
  return requestByReferenceOrMessageId(db, tenantId, q);
}

/**
 * Commits the Message-ID before the e-mail leaves: an operator who answers at once (In-Reply-To) must find it,
 * and the intake may read the answer before the sending transaction commits.
 */
export function noteOperatorRequestMessageId(db: DbOrTx, id: number, messageId: string): Promise<void> {
  return setMessageIdOnce(db, id, messageId);
}

/** Marks the request sent, in the transaction that sends it; false when there was nothing to mark. */
export function markOperatorRequestSent(tx: DbOrTx, id: number, toAddress: string, messageId: string) {
  return markSent(tx, id, toAddress, messageId);
}

/** Removes the personal data of the case's requests (retention, erasure), in the caller's transaction. */
export function anonymiseOperatorRequestsOfCase(
  tx: DbOrTx,
  tenantId: string,
  caseId: string,
  removed: string,
) {
  return anonymiseRequestsOfCase(tx, tenantId, caseId, removed);
}
