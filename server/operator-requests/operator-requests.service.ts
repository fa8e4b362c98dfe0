import type { Db, Tx } from '../db/client.ts';
import type { EngineClient } from '../engine/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit, type ActorKind } from '../audit/index.ts';
import { addCaseEvent } from '../cases/index.ts';
import { MESSAGES } from '../../processes/topics.ts';
import { latestRequestOfInstance, markAnswered, requestByReference } from './operator-requests.repo.ts';

/** Our reference in the subject of a request to the distribution operator, e.g. `DEMO-2026-000012/OD1`. */
export const OPERATOR_REFERENCE = /\b([A-Z0-9]{2,20}-\d{4}-\d{6}\/OD\d+)\b/;

/** Finds our reference in a subject or body (the e-mail intake calls this for mail from an operator). */
export function findOperatorReference(text: string): string | null {
  return OPERATOR_REFERENCE.exec(text)?.[1] ?? null;
}

/**
 * The operator's answer to a request, matched by our reference: stored on the request, noted on the case and
 * correlated to the waiting process (message `operator-answered`). A second, different answer is refused; the same
 * answer sent again after the engine was away resumes the process then (retry-safe).
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
  const recorded = await deps.db.transaction((tx) => recordAnswerInTx(tx, { ...input, request: req }));
  if (!recorded) {
    // Already answered. The same answer sent again is a retry after the engine failed us (the answer committed,
    // the process was not told): resume the process if it still waits for this, the case's latest request.
    // Anything else is a second answer and is refused.
    const latest = req.processInstanceId
      ? await latestRequestOfInstance(deps.db, input.tenantId, req.processInstanceId)
      : null;
    const retry = req.answerText === input.answerText && latest?.id === req.id;
    if (!retry || !(await correlate(deps.engine, input.tenantId, caseNumber)))
      throw new DomainError('OPERATOR_REQUEST_ANSWERED', { reference: input.reference });
    return { reference: input.reference, correlated: true };
  }
  return { reference: input.reference, correlated: await correlate(deps.engine, input.tenantId, caseNumber) };
}

function correlate(engine: EngineClient, tenantId: string, caseNumber: string) {
  return engine.correlateMessage({
    messageName: MESSAGES.operatorAnswered,
    tenantId,
    businessKey: caseNumber,
  });
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
