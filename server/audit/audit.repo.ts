import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { auditLog } from '../db/schema/index.ts';

/** The one insert into audit_log; services reach it through appendAudit (audit.ts). */
export async function insertAuditRows(db: DbOrTx, rows: Array<typeof auditLog.$inferInsert>): Promise<void> {
  await db.insert(auditLog).values(rows);
}

export function listAudit(db: DbOrTx, tenantId: string, entityType: string, entityId: string) {
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, tenantId),
        eq(auditLog.entityType, entityType),
        eq(auditLog.entityId, entityId),
      ),
    )
    .orderBy(asc(auditLog.id));
}
