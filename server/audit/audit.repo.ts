import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { auditLog } from '../db/schema/index.ts';

export type ActorKind = 'user' | 'consumer' | 'worker' | 'system';

export interface AuditInput {
  tenantId: string;
  actorId?: string | null;
  actorKind: ActorKind;
  /** `case.registered`, `case.viewed`, `task.claimed`, ... */
  action: string;
  entityType: string;
  entityId: string;
  /** Ids and codes only; never personal data. */
  details?: Record<string, unknown>;
}

/** Appends one row. Call it inside the transaction of the change it records. */
export async function appendAudit(db: DbOrTx, entry: AuditInput): Promise<void> {
  await db.insert(auditLog).values({
    tenantId: entry.tenantId,
    actorId: entry.actorId ?? null,
    actorKind: entry.actorKind,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    details: entry.details ?? {},
  });
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
