import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { auditLog } from '../db/schema/index.ts';

/** The insert into audit_log; services reach it through appendAudit (audit.ts). */
export async function insertAuditRows(db: DbOrTx, rows: Array<typeof auditLog.$inferInsert>): Promise<void> {
  await db.insert(auditLog).values(rows);
}

/** The same insert as a part of another statement (auditInStatement, audit.ts): one row per row of `from`. */
export function auditRowsFromSql(
  row: Omit<typeof auditLog.$inferInsert, 'details' | 'id' | 'at'>,
  details: SQL,
  from: string,
): SQL {
  return sql`insert into audit_log (tenant_id, actor_id, actor_kind, action, entity_type, entity_id, details)
    select ${row.tenantId}::uuid, ${row.actorId ?? null}::uuid, ${row.actorKind}, ${row.action}, ${row.entityType},
      ${row.entityId}, ${details} from ${sql.identifier(from)}`;
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
