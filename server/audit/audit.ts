import type { DbOrTx } from '../db/client.ts';
import type { SQL } from 'drizzle-orm';
import { auditRowsFromSql, insertAuditRows, listAudit } from './audit.repo.ts';

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

/**
 * The audit row of a change made by one SQL statement, written by that same statement (a data-modifying `with`
 * part named after `from`, whose columns `details` may use). For the one change that must not wait a round trip
 * for its audit row while it holds a lock: the registration's gapless number (cases/registration.repo.ts), where
 * each round trip under the counter's row lock is a round trip every other registration of the tenant waits for.
 * Everything else calls appendAudit.
 */
export function auditInStatement(entry: Omit<AuditInput, 'details'>, details: SQL, from: string): SQL {
  return auditRowsFromSql(
    {
      tenantId: entry.tenantId,
      actorId: entry.actorId ?? null,
      actorKind: entry.actorKind,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
    },
    details,
    from,
  );
}

/** The audit rows of one entity (a case, a task), oldest first. */
export function auditOf(db: DbOrTx, tenantId: string, entityType: string, entityId: string) {
  return listAudit(db, tenantId, entityType, entityId);
}
