import type { Db, Tx } from '../db/client.ts';
import type { EngineClient } from '../engine/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit, type ActorKind } from '../audit/audit.repo.ts';
import { addCaseEvent } from '../cases/cases.repo.ts';
import { MESSAGES } from '../../processes/topics.ts';
import { markAnswered, requestByReference } from './operator-requests.repo.ts';

/** Our reference in the subject of a request to the distribution operator, e.g. `DEMO-2026-000012/OD1`. */
export const OPERATOR_REFERENCE = /\b([A-Z0-9]{2,20}-\d{4}-\d{6}\/OD\d+)\b/;

/** Finds our reference in a subject or body (the e-mail intake calls this for mail from an operator). */
export function findOperatorReference(text: string): string | null {
  return OPERATOR_REFERENCE.exec(text)?.[1] ?? null;
}

/**
 * The operator's answer to a request, matched by our reference: stored on the request, noted on the case and
 * correlated to the waiting process (message `operator-answered`). Idempotent: a second answer is refused.
 */
export async function recordOperatorAnswer(
  deps: { db: Db; engine: EngineClient },
  input: {
    tenantId: string;
    reference: string;
    answerText: string;
    actor: { id: string | null; kind: ActorKind };
  },
) {
  const req = await requestByReference(deps.db, input.tenantId, input.reference);
  if (!req) throw new DomainError('OPERATOR_REQUEST_NOT_FOUND', { reference: input.reference });
  const caseNumber = input.reference.split('/')[0] ?? '';
  await deps.db.transaction(async (tx) => {
    if (!(await recordAnswerInTx(tx, { ...input, request: req })))
      throw new DomainError('OPERATOR_REQUEST_ANSWERED', { reference: input.reference });
  });
  const correlated = await deps.engine.correlateMessage({
    messageName: MESSAGES.operatorAnswered,
    tenantId: input.tenantId,
    businessKey: caseNumber,
  });
  return { reference: input.reference, correlated };
}

/**
 * Inside the caller's transaction: marks the request answered, notes it on the case and audits it. False (and
 * nothing written) when the request was already answered. The caller correlates `operator-answered` after commit.
 */
export async function recordAnswerInTx(
  tx: Tx,
  input: {
    tenantId: string;
    request: { id: number; caseId: string; reference: string };
    answerText: string;
    actor: { id: string | null; kind: ActorKind };
    details?: Record<string, unknown>;
  },
): Promise<boolean> {
  const req = input.request;
  if (!(await markAnswered(tx, req.id, input.answerText))) return false;
  await addCaseEvent(tx, {
    tenantId: input.tenantId,
    caseId: req.caseId,
    type: 'operator_answered',
    visibility: 'internal',
    message: `Răspuns OD la cererea ${req.reference}: ${input.answerText.slice(0, 2000)}`,
    actorId: input.actor.kind === 'user' ? input.actor.id : null,
  });
  await appendAudit(tx, {
    tenantId: input.tenantId,
    actorId: input.actor.id,
    actorKind: input.actor.kind,
    action: 'operator_request.answered',
    entityType: 'case',
    entityId: req.caseId,
    details: { reference: req.reference, ...input.details },
  });
  return true;
}
