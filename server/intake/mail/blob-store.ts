import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { mailBlobs } from '../../db/schema/index.ts';
import { sha256Hex } from './parse-message.ts';

/**
 * Stores bytes under their SHA-256 (per tenant). Idempotent: the same bytes are stored once, and a stored blob is
 * never changed (a trigger refuses it). Returns the hash.
 */
export async function putBlob(
  db: DbOrTx,
  tenantId: string,
  bytes: Buffer,
  sha256 = sha256Hex(bytes),
): Promise<string> {
  await db
    .insert(mailBlobs)
    .values({ tenantId, sha256, size: bytes.length, content: bytes })
    .onConflictDoNothing();
  return sha256;
}

export async function getBlob(db: DbOrTx, tenantId: string, sha256: string): Promise<Buffer | null> {
  const [row] = await db
    .select({ content: mailBlobs.content })
    .from(mailBlobs)
    .where(and(eq(mailBlobs.tenantId, tenantId), eq(mailBlobs.sha256, sha256)));
  return row?.content ?? null;
}
