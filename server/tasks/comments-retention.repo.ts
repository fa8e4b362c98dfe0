import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';

/** Retention and erasure (server/retention): the officers' comments on the case go (their authors and dates stay). */
export async function anonymiseCommentsOfCase(db: DbOrTx, tenantId: string, caseId: string, removed: string) {
  await db.execute(sql`
    update case_comments set body = ${removed} where case_id = ${caseId} and tenant_id = ${tenantId}`);
}
