import type { DbOrTx } from '../db/client.ts';
import { appendAudit, logAccess } from '../audit/index.ts';
import type { Principal } from '../auth/index.ts';
import { getBlob } from '../documents/index.ts';
import { DomainError } from '../errors.ts';
import { getCaseByNumber } from './cases.repo.ts';
import {
  documentHashesOfCase,
  inboundOfCase,
  sentMessagesOfCase,
  sentOperatorRequestsOfCase,
} from './correspondence.repo.ts';

export interface CorrespondenceAttachment {
  /**
   * The document's id: for a message received, the stored attachment (`/api/complaints/{number}/attachments/{id}`);
   * for a message we sent, the case document it carried (`/api/complaints/{number}/documents/{id}`), or null when
   * the file is not one of the case's documents.
   */
  documentId: number | null;
  filename: string;
  contentType: string;
  size: number;
  /** Where staff download it (API path), or null. */
  href: string | null;
}

/** One message of a case, received or sent, as staff read it on the case page and in the case API. */
export interface CorrespondenceMessage {
  direction: 'in' | 'out';
  /**
   * Received: `complaint`, `reply`, `operator_answer`, `auto_reply`, `bounce`. Sent: `acknowledgement`,
   * `answer`, `filed`, `extension`, ... and `operator_request` (our request to the distribution operator).
   */
  kind: string;
  /** When it reached our mailbox (received) or left (sent). */
  date: Date;
  subject: string;
  text: string | null;
  fromAddress: string | null;
  fromName: string | null;
  toAddress: string | null;
  attachments: CorrespondenceAttachment[];
}

/**
 * Every message of a case, in and out, oldest first: what the consumer (or the distribution operator) wrote with
 * its text and attachments, and what we sent with its text and the documents it carried.
 */
export async function caseCorrespondence(
  db: DbOrTx,
  tenantId: string,
  c: { id: string; number: string },
): Promise<CorrespondenceMessage[]> {
  const [inbound, sent, requests, docs] = await Promise.all([
    inboundOfCase(db, tenantId, c.id),
    sentMessagesOfCase(db, tenantId, c.id),
    sentOperatorRequestsOfCase(db, tenantId, c.id),
    documentHashesOfCase(db, tenantId, c.id),
  ]);
  const base = `/api/complaints/${c.number}`;
  const docBySha = new Map(docs.map((d) => [d.sha256, d.id]));
  const out: CorrespondenceMessage[] = [
    ...inbound.map((m): CorrespondenceMessage => ({
      direction: 'in',
      kind: m.kind,
      date: m.arrivedAt,
      subject: m.subject,
      text: m.textBody,
      fromAddress: m.fromAddress,
      fromName: m.fromName,
      toAddress: null,
      attachments: m.attachments.map((a) => ({
        documentId: a.id,
        filename: a.filename ?? `atasament-${a.id}`,
        contentType: a.contentType,
        size: a.size,
        href: `${base}/attachments/${a.id}`,
      })),
    })),
    ...sent.map((m): CorrespondenceMessage => {
      return {
        direction: m.direction,
        kind: m.kind,
        date: m.sentAt,
        subject: m.subject,
        text: m.text,
        fromAddress: null,
        fromName: null,
        toAddress: m.toAddress,
        attachments: (m.attachments ?? []).map((a) => {
          const documentId = docBySha.get(a.sha256) ?? null;
          return {
            documentId,
            filename: a.filename,
            contentType: a.contentType,
            size: a.size,
            href: documentId === null ? null : `${base}/documents/${documentId}`,
          };
        }),
      };
    }),
    ...requests.map((r): CorrespondenceMessage => ({
      direction: 'out',
      kind: 'operator_request',
      date: r.sentAt!,
      subject: `Cerere către operatorul de distribuție ${r.reference}`,
      text: r.questions,
      fromAddress: null,
      fromName: null,
      toAddress: r.toAddress,
      attachments: [],
    })),
  ];
  return out.sort((x, y) => x.date.getTime() - y.date.getTime());
}

/** One attachment received for a case, by its id, only from that case of the tenant; the download is audited. */
export async function downloadReceivedAttachment(
  db: DbOrTx,
  principal: Principal,
  number: string,
  attachmentId: number,
  via: string | null = null,
) {
  const row = await getCaseByNumber(db, principal.tenantId, number);
  if (!row) throw new DomainError('CASE_NOT_FOUND', { number });
  const inbound = await inboundOfCase(db, principal.tenantId, row.case.id);
  const message = inbound.find((m) => m.attachments.some((a) => a.id === attachmentId));
  const att = message?.attachments.find((a) => a.id === attachmentId);
  if (!message || !att) throw new DomainError('NOT_FOUND', { attachmentId });
  const content = await getBlob(db, principal.tenantId, att.sha256);
  if (!content) throw new DomainError('NOT_FOUND', { attachmentId });
  await appendAudit(db, {
    tenantId: principal.tenantId,
    actorId: principal.userId,
    actorKind: 'user',
    action: 'case.attachment_downloaded',
    entityType: 'case',
    entityId: row.case.id,
    details: { attachmentId, sha256: att.sha256 },
  });
  await logAccess(db, {
    tenantId: principal.tenantId,
    actorId: principal.userId,
    subjectType: 'message',
    subjectId: message.id,
    customerId: row.case.customerId,
    caseId: row.case.id,
    via,
  });
  return {
    filename: att.filename ?? `atasament-${att.id}`,
    contentType: att.contentType,
    content,
  };
}

/** Everything that came in for a case (the complaint itself and replies), with attachments, oldest first. */
export function receivedMessagesOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  return inboundOfCase(db, tenantId, caseId);
}
