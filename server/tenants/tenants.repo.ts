import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { deadlineRules, tenantNonWorkingDays, tenants } from '../db/schema/index.ts';

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

export async function getDeadlineRule(db: DbOrTx, tenantId: string, category: string) {
  const [r] = await db
    .select()
    .from(deadlineRules)
    .where(and(eq(deadlineRules.tenantId, tenantId), eq(deadlineRules.category, category)))
    .limit(1);
  return r ?? null;
}

export async function listNonWorkingDays(db: DbOrTx, tenantId: string): Promise<Set<string>> {
  const rows = await db
    .select({ day: tenantNonWorkingDays.day })
    .from(tenantNonWorkingDays)
    .where(eq(tenantNonWorkingDays.tenantId, tenantId));
  return new Set(rows.map((r) => r.day));
}
