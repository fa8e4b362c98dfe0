import type { DbOrTx } from '../db/client.ts';
import { appendAudit } from '../audit/index.ts';
import { DEFAULT_RETENTION_YEARS } from '../codes/privacy-codes.ts';
import { DomainError } from '../errors.ts';
import { getRetentionYears, upsertRetentionYears } from './privacy-settings.repo.ts';

/** The retention period a tenant may choose, in years after a case is closed (server/retention applies it). */
export const MIN_RETENTION_YEARS = 3;
export const MAX_RETENTION_YEARS = 10;

export async function retentionYears(db: DbOrTx, tenantId: string): Promise<number> {
  return (await getRetentionYears(db, tenantId)) ?? DEFAULT_RETENTION_YEARS;
}

export async function setRetentionYears(db: DbOrTx, tenantId: string, years: number, actorId: string) {
  if (!Number.isInteger(years) || years < MIN_RETENTION_YEARS || years > MAX_RETENTION_YEARS)
    throw new DomainError('RETENTION_YEARS_INVALID');
  await upsertRetentionYears(db, tenantId, years, actorId);
  await appendAudit(db, {
    tenantId,
    actorId,
    actorKind: 'user',
    action: 'privacy.retention_set',
    entityType: 'tenant',
    entityId: tenantId,
    details: { years },
  });
}
