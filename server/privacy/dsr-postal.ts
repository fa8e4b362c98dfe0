import type { DbOrTx } from '../db/client.ts';
import { queueDsrLetter } from '../documents/index.ts';
import { appendAudit, logAccess } from '../audit/index.ts';
import { DomainError } from '../errors.ts';
import type { Principal } from '../auth/index.ts';
import { letterInPostalRegister } from './dsr.repo.ts';

/** What the register shows when no postal address is known yet (the same words as for a case's letter). */
export const UNKNOWN_ADDRESS = '(adresă necunoscută: se completează din dosar)';

/**
 * A GDPR letter for a person we cannot e-mail goes by post: queued once in the postal dispatch register, the
 * same register the complaint letters use, so the post room posts it and records the date and the proof of
 * delivery. Audited with the request.
 */
export async function queueDsrLetterForPost(
  db: DbOrTx,
  r: { id: string; tenantId: string; number: string; contactName: string },
  doc: { id: number; kind: string },
  address: string | null,
) {
  const dispatchId = await queueDsrLetter(db, {
    tenantId: r.tenantId,
    dsrDocumentId: doc.id,
    recipientName: r.contactName,
    address: address ?? UNKNOWN_ADDRESS,
  });
  if (dispatchId === null) return null;
  await appendAudit(db, {
    tenantId: r.tenantId,
    actorKind: 'system',
    action: 'gdpr_request.letter_postal',
    entityType: 'gdpr_request',
    entityId: r.id,
    details: { kind: doc.kind, dispatchId, addressKnown: address !== null },
  });
  return dispatchId;
}

/**
 * The PDF of a GDPR letter queued in the postal register, for the post room that prints it (officers and
 * supervisors, not only the DPO): only letters of this tenant that are in the register. Every download is audited
 * and written to the personal-data access log.
 */
export async function dsrLetterForPost(db: DbOrTx, p: Principal, dispatchId: number, via: string) {
  const row = await letterInPostalRegister(db, p.tenantId, dispatchId);
  if (!row) throw new DomainError('NOT_FOUND', { dispatchId });
  await appendAudit(db, {
    tenantId: p.tenantId,
    actorId: p.userId,
    actorKind: 'user',
    action: 'gdpr_request.postal_letter_downloaded',
    entityType: 'gdpr_request',
    entityId: row.requestId,
    details: { dispatchId, kind: row.kind },
  });
  await logAccess(db, {
    tenantId: p.tenantId,
    actorId: p.userId,
    subjectType: 'document',
    subjectId: `dsr:${row.documentId}`,
    customerId: row.customerId,
    via,
  });
  return row;
}
