import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { mailBlobs } from '../db/schema/index.ts';

export async function insertBlob(db: DbOrTx, tenantId: string, sha256: string, bytes: Buffer): Promise<void> {
  await db
    .insert(mailBlobs)
    .values({ tenantId, sha256, size: bytes.length, content: bytes })
    .onConflictDoNothing();
}

export async function selectBlob(db: DbOrTx, tenantId: string, sha256: string): Promise<Buffer | null> {
  const [row] = await db
    .select({ content: mailBlobs.content })
    .from(mailBlobs)
    .where(and(eq(mailBlobs.tenantId, tenantId), eq(mailBlobs.sha256, sha256)));
  return row?.content ?? null;
}
