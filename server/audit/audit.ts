import type { DbOrTx } from '../db/client.ts';
import { insertAuditRows, listAudit } from './audit.repo.ts';

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

/**
 * Appends audit rows (one, or several in one statement): the one way every module writes the audit log (issue 14). Call it with the transaction
 * of the change it records, so the change and its audit row commit together or not at all; the sealing job links
 * the row into the tenant's hash chain afterwards (audit-chain.ts).
 */
export async function appendAudit(tx: DbOrTx, entry: AuditInput | AuditInput[]): Promise<void> {
  const entries = Array.isArray(entry) ? entry : [entry];
  if (entries.length === 0) return;
  await insertAuditRows(
    tx,
    entries.map((e) => ({
      tenantId: e.tenantId,
      actorId: e.actorId ?? null,
      actorKind: e.actorKind,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      details: e.details ?? {},
    })),
  );
}

/** The audit rows of one entity (a case, a task), oldest first. */
export function auditOf(db: DbOrTx, tenantId: string, entityType: string, entityId: string) {
  return listAudit(db, tenantId, entityType, entityId);
}
