import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { blobUploadParts, mailBlobs } from '../db/schema/index.ts';

export async function insertBlob(db: DbOrTx, tenantId: string, sha256: string, bytes: Buffer): Promise<void> {
  await db
    .insert(mailBlobs)
    .values({ tenantId, sha256, size: bytes.length, content: bytes })
    .onConflictDoNothing();
}

/** A blob's bytes, whole: stored in one piece, or its upload's parts joined in order. */
export async function selectBlob(db: DbOrTx, tenantId: string, sha256: string): Promise<Buffer | null> {
  const [row] = await db
    .select({
      // Named in full: drizzle writes a column of a one-table select unqualified, which inside the subquery
      // would name the part's own column.
      content: sql<Buffer | null>`coalesce(mail_blobs.content, (
        select string_agg(p.content, ''::bytea order by p.seq) from blob_upload_parts p
         where p.tenant_id = mail_blobs.tenant_id and p.upload_id = mail_blobs.upload_id))`,
    })
    .from(mailBlobs)
    .where(and(eq(mailBlobs.tenantId, tenantId), eq(mailBlobs.sha256, sha256)));
  return row?.content ?? null;
}

/** One part of an upload that is being read (its bytes in order of `seq`). */
export async function insertUploadPart(
  db: DbOrTx,
  tenantId: string,
  uploadId: string,
  seq: number,
  content: Buffer,
): Promise<void> {
  await db.insert(blobUploadParts).values({ tenantId, uploadId, seq, content });
}

/**
 * Makes an upload a stored blob. Returns false when the same bytes were stored already (the upload's parts are then
 * left unreferenced, for the caller to delete).
 */
export async function insertBlobOfUpload(
  db: DbOrTx,
  b: { tenantId: string; sha256: string; size: number; uploadId: string },
): Promise<boolean> {
  const rows = await db
    .insert(mailBlobs)
    .values(b)
    .onConflictDoNothing()
    .returning({ sha256: mailBlobs.sha256 });
  return rows.length > 0;
}

/** Deletes the parts of these uploads that no stored blob refers to (an upload refused, broken off or a duplicate). */
export async function deleteUnreferencedParts(
  db: DbOrTx,
  tenantId: string,
  uploadIds: string[],
): Promise<void> {
  if (!uploadIds.length) return;
  await db.delete(blobUploadParts).where(
    and(
      eq(blobUploadParts.tenantId, tenantId),
      inArray(blobUploadParts.uploadId, uploadIds),
      sql`not exists (select 1 from mail_blobs b
              where b.tenant_id = ${blobUploadParts.tenantId} and b.upload_id = ${blobUploadParts.uploadId})`,
    ),
  );
}

/** Housekeeping: up to `limit` parts older than `before` that no blob refers to (a process stopped mid-upload). */
export async function deleteAbandonedParts(db: DbOrTx, before: Date, limit: number): Promise<number> {
  const rows = await db.execute<{ n: number }>(sql`
    with gone as (
      delete from blob_upload_parts where (tenant_id, upload_id, seq) in (
        select p.tenant_id, p.upload_id, p.seq from blob_upload_parts p
         where p.created_at < ${before.toISOString()}
           and not exists (select 1 from mail_blobs b where b.tenant_id = p.tenant_id and b.upload_id = p.upload_id)
         limit ${limit})
      returning 1)
    select count(*)::int as n from gone`);
  return rows[0]?.n ?? 0;
}

/**
 * Retention and erasure: the stored blobs (raw e-mails, attachments, portal files) of this case that no other case
 * still needs, read from the intake's and the portal's records of what refers to them.
 */
export async function deleteBlobsOnlyOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  await db.execute(sql`
    with mine as (
      select im.raw_sha256 as sha from inbound_messages im where im.tenant_id = ${tenantId} and im.case_id = ${caseId}
      union select ia.sha256 from inbound_attachments ia join inbound_messages im on im.id = ia.inbound_message_id
        where im.tenant_id = ${tenantId} and im.case_id = ${caseId}
      union select pf.sha256 from portal_files pf where pf.tenant_id = ${tenantId} and pf.case_id = ${caseId}
    ), shared as (
      select im.raw_sha256 as sha from inbound_messages im
        where im.tenant_id = ${tenantId} and im.case_id is distinct from ${caseId}
          and not exists (select 1 from anonymisations a where a.entity_id = im.case_id)
      union select ia.sha256 from inbound_attachments ia join inbound_messages im on im.id = ia.inbound_message_id
        where im.tenant_id = ${tenantId} and im.case_id is distinct from ${caseId}
          and not exists (select 1 from anonymisations a where a.entity_id = im.case_id)
      union select pf.sha256 from portal_files pf where pf.tenant_id = ${tenantId} and pf.case_id <> ${caseId}
          and not exists (select 1 from anonymisations a where a.entity_id = pf.case_id)
    )
    , gone as (
      delete from mail_blobs b where b.tenant_id = ${tenantId}
        and b.sha256 in (select sha from mine) and b.sha256 not in (select sha from shared where sha is not null)
      returning b.upload_id)
    delete from blob_upload_parts p
     where p.tenant_id = ${tenantId} and p.upload_id in (select upload_id from gone where upload_id is not null)`);
}
