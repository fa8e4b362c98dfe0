import { createHash } from 'node:crypto';
import type { DbOrTx } from '../db/client.ts';
import { insertBlob, selectBlob } from './blobs.repo.ts';

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
