import { MESSAGES } from '../../processes/topics.ts';
import type { Db } from '../db/client.ts';
import type { EngineClient } from '../engine/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { addCaseEvent, getCaseByNumber } from '../cases/cases.repo.ts';

/**
 * An officer proposes to extend a case's deadline (IL-32), on any path: the proposal reaches the case's process
 * (message `deadline-extension-requested`), where SEF approves or refuses it and the extension is applied only if
 * its notice reaches the consumer before the original due date (the extend-deadline worker).
 */
export async function requestDeadlineExtension(
  deps: { db: Db; engine: EngineClient },
  actor: { tenantId: string; userId: string },
  input: { caseNumber: string; reason: string; days?: number | undefined },
): Promise<{ caseNumber: string; requested: true }> {
  const row = await getCaseByNumber(deps.db, actor.tenantId, input.caseNumber);
  if (!row) throw new DomainError('CASE_NOT_FOUND', { number: input.caseNumber });
  const c = row.case;
  if (c.answerCommunicatedAt || ['closed', 'filed', 'annulled'].includes(c.status) || c.extendedAt)
    throw new DomainError(
      'EXTENSION_NOT_POSSIBLE',
      { number: c.number },
      c.extendedAt
        ? 'Termenul a fost deja prelungit o dată; nu se mai poate prelungi.'
        : 'Răspunsul a fost comunicat sau dosarul este închis: termenul nu se mai prelungește.',
    );
  const reason = input.reason.trim();
  const delivered = await deps.engine.correlateMessage({
    messageName: MESSAGES.extensionRequested,
    tenantId: actor.tenantId,
    businessKey: c.number,
    variables: { extensionReason: reason, extensionDays: input.days ? String(input.days) : null },
    all: true,
  });
  if (!delivered)
    throw new DomainError(
      'EXTENSION_NOT_POSSIBLE',
      { number: c.number },
      'Procesul reclamației nu mai primește propuneri de prelungire.',
    );
  await deps.db.transaction(async (tx) => {
    await addCaseEvent(tx, {
      tenantId: actor.tenantId,
      caseId: c.id,
      type: 'extension_requested',
      visibility: 'internal',
      message: `Prelungire a termenului propusă, în așteptarea aprobării șefului de serviciu: ${reason}`,
      actorId: actor.userId,
    });
    await appendAudit(tx, {
      tenantId: actor.tenantId,
      actorId: actor.userId,
      actorKind: 'user',
      action: 'case.extension_requested',
      entityType: 'case',
      entityId: c.id,
      details: { reason, days: input.days ?? null },
    });
  });
  return { caseNumber: c.number, requested: true };
}
