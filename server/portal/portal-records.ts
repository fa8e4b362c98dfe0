/**
 * How what a consumer sends through the portal is kept: the submission and its files, and an inbound message like
 * the ones the e-mail intake records, so officers find portal submissions where they find e-mails.
 */
import { createHash } from 'node:crypto';
import { addCaseEvent } from '../cases/index.ts';
import type { Db, Tx } from '../db/client.ts';
import { commitUpload, discardUploads, putBlob } from '../documents/index.ts';
import { inlineLease, recordInboundMessage } from '../intake/index.ts';
import type { ConsumerPrincipal } from './portal-auth.service.ts';
import { insertFiles, insertSubmission } from './portal-cases.repo.ts';
import type { CheckedFile } from './uploads.ts';

/** A stored file as the portal API shows it. */
export const fileView = (f: {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: Date;
}) => ({
  id: f.id,
  fileName: f.fileName,
  contentType: f.contentType,
  size: f.size,
  sha256: f.sha256,
  createdAt: f.createdAt.toISOString(),
});

/**
 * The bytes first: the uploads read into the store while the form streamed become blobs, content-addressed and
 * idempotent (an orphan blob after a crash is harmless).
 */
export async function storeBlobs(db: Db, tenantId: string, files: CheckedFile[]) {
  for (const f of files) await commitUpload(db, tenantId, f.upload);
}

/** A submission that failed before its files were kept: their uploaded parts go (committed blobs stay). */
export function discardFiles(db: Db, tenantId: string, files: Array<{ upload: { uploadId: string } }>) {
  return discardUploads(
    db,
    tenantId,
    files.map((f) => f.upload.uploadId),
  );
}

export async function recordSubmission(
  tx: Tx,
  p: ConsumerPrincipal,
  s: { caseId: string; kind: 'complaint' | 'information'; text: string; files: CheckedFile[] },
) {
  const submissionId = await insertSubmission(tx, {
    tenantId: p.tenantId,
    caseId: s.caseId,
    accountId: p.accountId,
    kind: s.kind,
    text: s.text,
  });
  const stored = await insertFiles(
    tx,
    s.files.map((f) => ({
      tenantId: p.tenantId,
      submissionId,
      caseId: s.caseId,
      sha256: f.sha256,
      fileName: f.fileName,
      contentType: f.contentType,
      size: f.size,
    })),
  );
  if (stored.length)
    await addCaseEvent(tx, {
      tenantId: p.tenantId,
      caseId: s.caseId,
      type: 'portal_files',
      visibility: 'internal',
      message: `Fișiere primite prin portal: ${stored.map((f) => `${f.fileName} (${f.contentType}, SHA-256 ${f.sha256.slice(0, 12)}…)`).join('; ')}.`,
    });
  return { submissionId, files: stored };
}

/**
 * What the consumer sent, recorded the way the e-mail intake records what arrives (an inbound message with its
 * attachments), so officers find portal submissions where they find e-mails. The "raw" bytes of a portal
 * submission are its canonical JSON, stored content-addressed like a raw e-mail.
 */
export async function recordInbound(
  tx: Tx,
  p: ConsumerPrincipal,
  s: {
    caseId: string;
    number: string;
    submissionId: string;
    kind: 'complaint' | 'reply';
    subject: string;
    text: string;
    files: CheckedFile[];
    at: Date;
    pendingMessage: string | null;
  },
) {
  const raw = Buffer.from(
    JSON.stringify({
      channel: 'portal',
      case: s.number,
      account: p.accountId,
      at: s.at.toISOString(),
      subject: s.subject,
      text: s.text,
      files: s.files.map((f) => ({
        fileName: f.fileName,
        contentType: f.contentType,
        size: f.size,
        sha256: f.sha256,
      })),
    }),
  );
  const rawSha256 = createHash('sha256').update(raw).digest('hex');
  await putBlob(tx, p.tenantId, raw, rawSha256);
  return recordInboundMessage(
    tx,
    {
      tenantId: p.tenantId,
      messageId: null,
      rawSha256,
      dedupeKey: `portal|${s.submissionId}`,
      size: raw.length,
      arrivedAt: s.at,
      fromAddress: p.email,
      fromName: null,
      subject: s.subject,
      textBody: s.text,
      safeHtml: null,
      kind: s.kind,
      reason: 'portal',
      caseId: s.caseId,
      pendingMessage: s.pendingMessage,
      nextCorrelationAt: s.pendingMessage ? inlineLease() : null,
    },
    s.files.map((f) => ({
      sha256: f.sha256,
      filename: f.fileName,
      contentType: f.contentType,
      size: f.size,
      disposition: 'attachment' as const,
      contentId: null,
    })),
  );
}
