import { eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { tenants } from '../db/schema/index.ts';

export async function getTenant(db: DbOrTx, tenantId: string) {
  const [t] = await db.select().from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  return t ?? null;
}

export async function getTenantByCode(db: DbOrTx, code: string) {
  const [t] = await db.select().from(tenants).where(eq(tenants.code, code)).limit(1);
  return t ?? null;
}

export async function listTenants(db: DbOrTx) {
  return db.select().from(tenants);
}

/** The columns an admin changes on the settings page (tenant-settings.ts). */
export const settingsColumns = {
  letterhead: tenants.letterhead,
  operatorEmail: tenants.operatorEmail,
  compensationBaseLei: tenants.compensationBaseLei,
  compensationPerDayLei: tenants.compensationPerDayLei,
  compensationLegalBasis: tenants.compensationLegalBasis,
  completionWaitWorkingDays: tenants.completionWaitWorkingDays,
  completionPausesDeadline: tenants.completionPausesDeadline,
  postalDeliveryWorkingDays: tenants.postalDeliveryWorkingDays,
  satisfactionSurvey: tenants.satisfactionSurvey,
  warnWorkingDaysBefore: tenants.warnWorkingDaysBefore,
  countingReading: tenants.countingReading,
};

export type TenantSettingsRow = { [K in keyof typeof settingsColumns]: (typeof tenants.$inferSelect)[K] };

export async function getTenantSettings(db: DbOrTx, tenantId: string): Promise<TenantSettingsRow | null> {
  const [row] = await db.select(settingsColumns).from(tenants).where(eq(tenants.id, tenantId));
  return row ?? null;
}

export async function updateTenant(
  db: DbOrTx,
  tenantId: string,
  patch: Partial<typeof tenants.$inferInsert>,
): Promise<TenantSettingsRow | null> {
  const [row] = await db
    .update(tenants)
    .set(patch)
    .where(eq(tenants.id, tenantId))
    .returning(settingsColumns);
  return row ?? null;
}

/** Creates the tenant, or renames it when its code exists (the demo seed runs at every start). */
export async function upsertTenant(
  db: DbOrTx,
  t: { code: string; name: string; intakeEmail: string; operatorEmail: string; publicUrl?: string },
): Promise<string> {
  const [row] = await db
    .insert(tenants)
    .values({
      code: t.code,
      name: t.name,
      intakeEmail: t.intakeEmail,
      operatorEmail: t.operatorEmail,
      ...(t.publicUrl ? { publicUrl: t.publicUrl } : {}),
    })
    .onConflictDoUpdate({ target: tenants.code, set: { name: t.name } })
    .returning({ id: tenants.id });
  if (!row) throw new Error('tenant not created');
  return row.id;
}

/** The tenants whose intake address is one of these (lower-case) addresses: the catch-all mailbox routes by them. */
export function tenantsByIntakeAddresses(db: DbOrTx, addresses: string[]) {
  return db
    .select()
    .from(tenants)
    .where(inArray(sql`lower(${tenants.intakeEmail})`, addresses));
}
