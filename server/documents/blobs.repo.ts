import { and, eq, sql } from 'drizzle-orm';
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
    delete from mail_blobs b where b.tenant_id = ${tenantId}
      and b.sha256 in (select sha from mine) and b.sha256 not in (select sha from shared where sha is not null)`);
}
