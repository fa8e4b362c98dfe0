import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';

/** Retention and erasure (server/retention): the inbox rows of the case lose the person's name, subject and place. */
export async function anonymiseTasksOfCase(db: DbOrTx, tenantId: string, caseId: string, removed: string) {
  await db.execute(sql`
    update tasks set customer_name = null, subject = ${removed}, place_code = null,
      search_text = lower(coalesce(case_number, ''))
    where case_id = ${caseId} and tenant_id = ${tenantId}`);
}
