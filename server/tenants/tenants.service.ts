import type { Db, DbOrTx } from '../db/client.ts';
import type { Tenant } from '../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { DomainError } from '../errors.ts';
import * as repo from './tenants.repo.ts';

export type { TenantSettingsRow as TenantSettings } from './tenants.repo.ts';

/** The tenants module owns the `tenants` row: its identity, its settings and its security policy. */
export function getTenant(db: DbOrTx, tenantId: string): Promise<Tenant | null> {
  return repo.getTenant(db, tenantId);
}

export function getTenantByCode(db: DbOrTx, code: string): Promise<Tenant | null> {
  return repo.getTenantByCode(db, code);
}

export function listTenants(db: DbOrTx): Promise<Tenant[]> {
  return repo.listTenants(db);
}

/**
 * Creates a tenant (or renames the one with that code). The distribution operator's address for data requests
 * starts as a placeholder a tenant admin replaces.
 */
export function upsertTenant(
  db: DbOrTx,
  t: { code: string; name: string; intakeEmail: string; publicUrl?: string },
): Promise<string> {
  return repo.upsertTenant(db, { ...t, operatorEmail: `od-${t.code.toLowerCase()}@distributie.local` });
}

/** The tenant's process settings: letterhead, the distribution operator's address, compensation rule, warnings. */
export async function tenantSettings(db: DbOrTx, tenantId: string) {
  const row = await repo.getTenantSettings(db, tenantId);
  if (!row) throw new DomainError('NOT_FOUND');
  return row;
}

/** Changes settings (compensation applies to answers sent from now on); audited in the same transaction. */
export async function changeTenantSettings(
  db: Db,
  /** The admin who changes them (a staff principal). */
  p: { tenantId: string; userId: string },
  patch: Partial<repo.TenantSettingsRow>,
) {
  return db.transaction(async (tx) => {
    const row = await repo.updateTenant(tx, p.tenantId, patch);
    if (!row) throw new DomainError('NOT_FOUND');
    await appendAudit(tx, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'tenant.settings_changed',
      entityType: 'tenant',
      entityId: p.tenantId,
      details: { fields: Object.keys(patch) },
    });
    return row;
  });
}

/** The staff security policy (second factor for all staff, session length); the caller audits the change. */
export async function setSecurityPolicy(
  tx: DbOrTx,
  tenantId: string,
  policy: { totpForAllStaff: boolean; sessionMaxHours: number },
): Promise<void> {
  await repo.updateTenant(tx, tenantId, policy);
}

/** The tenants whose intake address is one of these (lower-case) addresses (the catch-all mailbox's routing). */
export function tenantsByIntakeAddresses(db: DbOrTx, addresses: string[]): Promise<Tenant[]> {
  return repo.tenantsByIntakeAddresses(db, addresses);
}
