import { createHash, randomUUID } from 'node:crypto';
import type { DbOrTx } from '../db/client.ts';
import {
  deleteAbandonedParts,
  deleteUnreferencedParts,
  insertBlob,
  insertBlobOfUpload,
  insertUploadPart,
  selectBlob,
} from './blobs.repo.ts';

/*
 * What was received is kept as received (design.md, security model): raw e-mails, their attachments and the files
 * of portal submissions, stored once per tenant under their SHA-256. The e-mail intake, the portal and the case
 * views share this store; the documents module owns it (server/db/schema/README.md).
 */

/**
 * Stores bytes under their SHA-256 (per tenant). Idempotent: the same bytes are stored once, and a stored blob is
 * never changed (a trigger refuses it). Returns the hash.
 */
export async function putBlob(
  db: DbOrTx,
  tenantId: string,
  bytes: Buffer,
  sha256 = createHash('sha256').update(bytes).digest('hex'),
): Promise<string> {
  await insertBlob(db, tenantId, sha256, bytes);
  return sha256;
}

export function getBlob(db: DbOrTx, tenantId: string, sha256: string): Promise<Buffer | null> {
  return selectBlob(db, tenantId, sha256);
}

/** Bytes per stored part of a streamed upload: what one request holds of a file at a time. */
export const UPLOAD_PART_BYTES = 1024 * 1024;

/** An upload read into the store's parts, not yet a blob (commitUpload makes it one, discardUploads drops it). */
export interface StagedUpload {
  uploadId: string;
  sha256: string;
  size: number;
  /** The first part (at most about UPLOAD_PART_BYTES): enough to tell the file's type from its content. */
  head: Buffer;
}

/** The upload passed `limit` bytes; its parts are already deleted. */
export class UploadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`upload larger than ${limit} bytes`);
    this.name = 'UploadTooLargeError';
  }
}

/**
 * Reads an upload into the store as it arrives (issue 13 item 10): the bytes are hashed and written part by part,
 * each part awaited before more is read (the request's stream waits meanwhile), so a file is never held whole
 * and the size limit stops the reading at the first byte past it. On any failure the parts written are deleted.
 */
export async function stageUpload(
  db: DbOrTx,
  tenantId: string,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  limit: number,
): Promise<StagedUpload> {
  const uploadId = randomUUID();
  const hash = createHash('sha256');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let seq = 0;
  let size = 0;
  let head: Buffer | undefined;
  /** Writes the pending bytes as parts of exactly UPLOAD_PART_BYTES (the last one of a file may be shorter). */
  const flush = async (final: boolean) => {
    while (pendingBytes >= UPLOAD_PART_BYTES || (final && pendingBytes > 0)) {
      const joined = Buffer.concat(pending, pendingBytes);
      const part = joined.subarray(0, Math.min(UPLOAD_PART_BYTES, joined.length));
      const rest = joined.subarray(part.length);
      pending = rest.length ? [rest] : [];
      pendingBytes = rest.length;
      head ??= Buffer.from(part);
      await insertUploadPart(db, tenantId, uploadId, seq++, part);
    }
  };
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > limit) throw new UploadTooLargeError(limit);
      hash.update(chunk);
      // A copy: a parser may hand out views of a buffer it reuses for what comes next (busboy's look-behind).
      pending.push(Buffer.from(chunk));
      pendingBytes += chunk.length;
      if (pendingBytes >= UPLOAD_PART_BYTES) await flush(false);
    }
    await flush(true);
  } catch (err) {
    await deleteUnreferencedParts(db, tenantId, [uploadId]).catch(() => undefined);
    throw err;
  }
  return { uploadId, sha256: hash.digest('hex'), size, head: head ?? Buffer.alloc(0) };
}

/**
 * Makes a staged upload a stored blob under its SHA-256 (idempotent like putBlob: when the same bytes are stored
 * already, the upload's parts are dropped). Returns the hash.
 */
export async function commitUpload(db: DbOrTx, tenantId: string, u: StagedUpload): Promise<string> {
  // An empty upload has no parts to refer to.
  if (u.size === 0) return putBlob(db, tenantId, Buffer.alloc(0), u.sha256);
  const stored = await insertBlobOfUpload(db, {
    tenantId,
    sha256: u.sha256,
    size: u.size,
    uploadId: u.uploadId,
  });
  if (!stored) await deleteUnreferencedParts(db, tenantId, [u.uploadId]);
  return u.sha256;
}

/** Drops staged uploads that will not be kept (the request failed); committed ones stay. */
export function discardUploads(db: DbOrTx, tenantId: string, uploadIds: string[]): Promise<void> {
  return deleteUnreferencedParts(db, tenantId, uploadIds);
}

/** Housekeeping: parts of uploads a stopped process left behind, older than `before`; at most `limit` parts. */
export function purgeAbandonedUploads(db: DbOrTx, before: Date, limit: number): Promise<number> {
  return deleteAbandonedParts(db, before, limit);
}
