import type { DbOrTx } from '../db/client.ts';
import { appendAudit, type ActorKind } from '../audit/index.ts';
import { DomainError } from '../errors.ts';
import { addCaseEvent, contestLinks, getCaseByNumber, setContestedCase } from './cases.repo.ts';

/**
 * A contestation is a new case linked to the case whose answer it contests (intake/contest.service.ts registers
 * it). The original stays exactly as it was (closed cases are never reopened); the link is read from the new case.
 */
export async function linkContestation(
  tx: DbOrTx,
  l: {
    tenantId: string;
    contestation: { id: string; number: string };
    original: { id: string; number: string };
    actor: { id: string | null; kind: ActorKind };
  },
): Promise<void> {
  await setContestedCase(tx, l.tenantId, l.contestation.id, l.original.id);
  await addCaseEvent(tx, {
    tenantId: l.tenantId,
    caseId: l.contestation.id,
    type: 'contests',
    visibility: 'public',
    message: `Contestație la răspunsul dat reclamației nr. ${l.original.number}.`,
    actorId: l.actor.kind === 'user' ? l.actor.id : null,
  });
  await appendAudit(tx, {
    tenantId: l.tenantId,
    actorId: l.actor.id,
    actorKind: l.actor.kind,
    action: 'case.answer_contested',
    entityType: 'case',
    entityId: l.original.id,
    details: { original: l.original.number, contestation: l.contestation.number },
  });
}

/** Both directions of the link: the case this one contests, and the later cases that contest this one. */
export async function caseLinks(db: DbOrTx, tenantId: string, number: string) {
  const row = await getCaseByNumber(db, tenantId, number);
  if (!row) throw new DomainError('CASE_NOT_FOUND', { number });
  const { contests, contestedBy } = await contestLinks(db, tenantId, row.case);
  const out = (r: (typeof contestedBy)[number]) => ({ ...r, receivedAt: r.receivedAt.toISOString() });
  return { number, contests: contests ? out(contests) : null, contestedBy: contestedBy.map(out) };
}
