import { createHash } from 'node:crypto';
import type { Db, DbOrTx } from '../db/client.ts';
import type { DocumentKind } from '../db/schema/index.ts';
import { appendAudit, logAccess } from '../audit/index.ts';
import type { Principal } from '../auth/index.ts';
import { DomainError } from '../errors.ts';
import * as repo from './documents.repo.ts';
import { deleteBlobsOnlyOfCase } from './blobs.repo.ts';

/**
 * The documents module keeps what we issue (PDFs stored once per case and kind, with their SHA-256) and the postal
 * register (letters queued for the post, their dispatch and proof of delivery). What a letter says is its owner's
 * (cases/letters.service.ts, privacy/letters.ts).
 */
const FILE_NAMES: Record<DocumentKind, (n: string) => string> = {
  acknowledgement_letter: (n) => `confirmare-inregistrare-${n}.pdf`,
  answer_letter: (n) => `raspuns-${n}.pdf`,
  verification_report: (n) => `nota-de-constatare-${n}.pdf`,
  completion_request_letter: (n) => `cerere-completare-${n}.pdf`,
  extension_letter: (n) => `prelungire-termen-${n}.pdf`,
  filing_letter: (n) => `clasare-${n}.pdf`,
  compensation_letter: (n) => `compensatie-${n}.pdf`,
};

/** Stores a case's document of `kind` once (the first issued wins: documents are immutable). */
export async function storeCaseDocument(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  number: string,
  kind: DocumentKind,
  pdf: Buffer,
) {
  return repo.storeDocument(db, {
    tenantId,
    caseId,
    kind,
    fileName: FILE_NAMES[kind](number),
    content: pdf,
    sha256: createHash('sha256').update(pdf).digest('hex'),
  });
}

/** The documents of a case (without their bytes), oldest first. */
export function caseDocuments(db: DbOrTx, tenantId: string, caseId: string) {
  return repo.listDocuments(db, tenantId, caseId);
}

/** One document of a case with its bytes, or null. */
export function caseDocument(db: DbOrTx, tenantId: string, caseId: string, id: number) {
  return repo.getDocument(db, tenantId, caseId, id);
}

/** Queues a letter for postal dispatch (the register); the address is the customer's or the place's. */
export async function queueLetter(
  db: DbOrTx,
  d: { tenantId: string; caseId: string; documentId: number; recipientName: string; address: string | null },
) {
  await repo.queuePostalDispatch(db, {
    ...d,
    address: d.address ?? '(adresă necunoscută: se completează din dosar)',
  });
}

/** Queues a GDPR request's letter for the post (once per letter: the register refuses a second copy). */
export function queueDsrLetter(
  db: DbOrTx,
  d: { tenantId: string; dsrDocumentId: number; recipientName: string; address: string },
) {
  return repo.queueDsrPostalDispatch(db, d);
}

export type PostalDispatch = Awaited<ReturnType<typeof repo.listPostalDispatches>>[number];

/**
 * The postal register: every letter, or only those still to be posted, newest first. It shows each recipient's
 * name and postal address, so the reading is written to the personal-data access log: the case for a complaint's
 * letter, the GDPR letter itself for a request's.
 */
export async function postalRegister(
  db: DbOrTx,
  p: Principal,
  pendingOnly: boolean,
  via: string,
): Promise<PostalDispatch[]> {
  const rows = await repo.listPostalDispatches(db, p.tenantId, pendingOnly);
  await logAccess(
    db,
    rows.map((r) => ({
      tenantId: p.tenantId,
      actorId: p.userId,
      subjectType: r.source === 'case' ? ('case' as const) : ('document' as const),
      subjectId: r.source === 'case' && r.caseId ? r.caseId : `dsr:${r.documentId}`,
      customerId: r.customerId,
      caseId: r.source === 'case' ? r.caseId : null,
      via,
    })),
  );
  return rows;
}

export interface DispatchFacts {
  dispatchedAt?: Date;
  postalReference?: string;
  deliveredAt?: Date;
  proofOfDelivery?: string;
}

/** Records a letter's dispatch (date, registered-mail reference) and its proof of delivery; audited. */
export async function recordPostalDispatch(db: Db, p: Principal, id: number, facts: DispatchFacts) {
  return db.transaction(async (tx) => {
    const r = await repo.updatePostalDispatch(tx, p.tenantId, id, facts);
    if (!r) throw new DomainError('NOT_FOUND', { id });
    await appendAudit(tx, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'postal_dispatch.updated',
      entityType: r.caseId ? 'case' : 'postal_dispatch',
      entityId: r.caseId ?? String(r.id),
      details: { dispatchId: r.id, fields: Object.keys(facts) },
    });
    return r;
  });
}

/** When the case's letter of this kind was posted (the communication moment of an answer by post), or null. */
export function letterPostedAt(db: DbOrTx, caseId: string, kind: DocumentKind): Promise<Date | null> {
  return repo.letterDispatchedAt(db, caseId, kind);
}

/**
 * Retention and erasure (server/retention): the case's documents lose their bytes, the postal register its
 * recipient, and the received files only this case needed are deleted. In the caller's purge transaction.
 */
export async function anonymiseDocumentsOfCase(
  tx: DbOrTx,
  tenantId: string,
  caseId: string,
  removed: string,
) {
  await deleteBlobsOnlyOfCase(tx, tenantId, caseId);
  await repo.anonymiseDocumentsOfCase(tx, tenantId, caseId, removed);
}
