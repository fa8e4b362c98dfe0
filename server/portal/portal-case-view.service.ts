import { appendAudit } from '../audit/index.ts';
import { listCaseEvents, recordAnswerCommunication } from '../cases/index.ts';
import { CASE_STATUS_LABELS, isOpenCase } from '../codes/case-codes.ts';
import type { Db } from '../db/client.ts';
import { caseDocument, caseDocuments, getBlob } from '../documents/index.ts';
import { DomainError } from '../errors.ts';
import type { ConsumerPrincipal } from './portal-auth.service.ts';
import { getFileOfCase, getOwnCase, listOwnCases, listSubmissionsOfCase } from './portal-cases.repo.ts';
import { fileView } from './portal-records.ts';

/** One's own case by number; any other case (another account's, another supplier's) is not found. */
export async function findOwnCase(db: Db, p: ConsumerPrincipal, number: string) {
  const c = await getOwnCase(db, p.tenantId, p.accountId, number);
  if (!c) throw new DomainError('CASE_NOT_FOUND', { number });
  return c;
}

/** What the consumer reads of their own cases: the list, one case, our documents and the files they sent. */
export function createPortalCaseViewService(deps: { db: Db }) {
  const { db } = deps;

  async function listCases(p: ConsumerPrincipal) {
    const rows = await listOwnCases(db, p.tenantId, p.accountId);
    return rows.map((c) => ({
      number: c.number,
      status: c.status,
      statusLabel: CASE_STATUS_LABELS[c.status] ?? c.status,
      category: c.category,
      subject: c.subject,
      channel: c.channel,
      placeCode: c.placeCode,
      receivedAt: c.receivedAt.toISOString(),
      dueDate: c.dueDate,
      open: isOpenCase(c.status),
    }));
  }

  /** One's own case: the public timeline, our documents, what one sent through the portal. The view is audited. */
  async function caseDetail(p: ConsumerPrincipal, number: string) {
    const c = await findOwnCase(db, p, number);
    const [events, documents, submissions] = await Promise.all([
      listCaseEvents(db, p.tenantId, c.id, true),
      caseDocuments(db, p.tenantId, c.id),
      listSubmissionsOfCase(db, p.tenantId, c.id),
    ]);
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.accountId,
      actorKind: 'consumer',
      action: 'case.viewed',
      entityType: 'case',
      entityId: c.id,
      details: { channel: 'portal' },
    });
    return {
      number: c.number,
      status: c.status,
      statusLabel: CASE_STATUS_LABELS[c.status] ?? c.status,
      open: isOpenCase(c.status),
      category: c.category,
      subject: c.subject,
      body: c.body,
      channel: c.channel,
      placeCode: c.placeCode,
      placeAddress: c.address,
      receivedAt: c.receivedAt.toISOString(),
      registeredOn: c.registeredOn,
      dueDate: c.dueDate,
      answerSentAt: c.answerSentAt?.toISOString() ?? null,
      timeline: events.map((e) => ({ at: e.at.toISOString(), type: e.type, message: e.message })),
      documents: documents.map((d) => ({
        id: d.id,
        kind: d.kind,
        fileName: d.fileName,
        contentType: d.contentType,
        size: d.size,
        sha256: d.sha256,
        createdAt: d.createdAt.toISOString(),
      })),
      submissions: submissions.map((s) => ({
        id: s.id,
        kind: s.kind,
        text: s.text,
        createdAt: s.createdAt.toISOString(),
        files: s.files.map(fileView),
      })),
    };
  }

  async function document(p: ConsumerPrincipal, number: string, documentId: number) {
    const c = await findOwnCase(db, p, number);
    const doc = await caseDocument(db, p.tenantId, c.id, documentId);
    if (!doc) throw new DomainError('NOT_FOUND', { documentId });
    // The consumer took the answer from the portal: it counts as communicated now, unless it already was.
    if (doc.kind === 'answer_letter')
      await recordAnswerCommunication(db, p.tenantId, c.id, new Date(), 'portal');
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.accountId,
      actorKind: 'consumer',
      action: 'document.downloaded',
      entityType: 'case',
      entityId: c.id,
      details: { documentId, sha256: doc.sha256, channel: 'portal' },
    });
    return { fileName: doc.fileName, contentType: doc.contentType, content: doc.content };
  }

  async function file(p: ConsumerPrincipal, number: string, fileId: number) {
    const c = await findOwnCase(db, p, number);
    const f = await getFileOfCase(db, p.tenantId, c.id, fileId);
    const content = f ? await getBlob(db, p.tenantId, f.sha256) : null;
    if (!f || !content) throw new DomainError('NOT_FOUND', { fileId });
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.accountId,
      actorKind: 'consumer',
      action: 'portal.file_downloaded',
      entityType: 'case',
      entityId: c.id,
      details: { fileId, sha256: f.sha256 },
    });
    return { fileName: f.fileName, contentType: f.contentType, content };
  }

  return { listCases, caseDetail, document, file };
}
