import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';

/** Retention and erasure (server/retention): what the consumer wrote in the portal about the case goes. */
export async function anonymiseSubmissionsOfCase(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  removed: string,
) {
  await db.execute(sql`
    update portal_submissions set text = ${removed} where case_id = ${caseId} and tenant_id = ${tenantId}`);
}
