import { and, asc, eq, gte, lte } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { deadlineRules, tenantNonWorkingDays } from '../db/schema/index.ts';

export function listDeadlineRules(db: DbOrTx, tenantId: string) {
  return db
    .select()
    .from(deadlineRules)
    .where(eq(deadlineRules.tenantId, tenantId))
    .orderBy(asc(deadlineRules.category));
}

export async function updateDeadlineRule(
  db: DbOrTx,
  tenantId: string,
  category: string,
  rule: { days: number; unit: 'working' | 'calendar'; extensionDays: number; legalBasis: string },
) {
  const [row] = await db
    .insert(deadlineRules)
    .values({ tenantId, category, ...rule, extensionAllowed: rule.extensionDays > 0 })
    .onConflictDoUpdate({
      target: [deadlineRules.tenantId, deadlineRules.category],
      set: { ...rule, extensionAllowed: rule.extensionDays > 0 },
    })
    .returning();
  if (!row) throw new Error('deadline rule not saved');
  return row;
}

export function listNonWorkingDayRows(db: DbOrTx, tenantId: string, range?: { from: string; to: string }) {
  return db
    .select({ day: tenantNonWorkingDays.day, reason: tenantNonWorkingDays.reason })
    .from(tenantNonWorkingDays)
    .where(
      and(
        eq(tenantNonWorkingDays.tenantId, tenantId),
        range ? gte(tenantNonWorkingDays.day, range.from) : undefined,
        range ? lte(tenantNonWorkingDays.day, range.to) : undefined,
      ),
    )
    .orderBy(asc(tenantNonWorkingDays.day));
}

/** Returns false when the day was already there. */
export async function insertNonWorkingDay(db: DbOrTx, tenantId: string, day: string, reason: string) {
  const rows = await db
    .insert(tenantNonWorkingDays)
    .values({ tenantId, day, reason })
    .onConflictDoNothing()
    .returning({ day: tenantNonWorkingDays.day });
  return rows.length > 0;
}

/** Returns false when there was no such day. */
export async function deleteNonWorkingDay(db: DbOrTx, tenantId: string, day: string) {
  const rows = await db
    .delete(tenantNonWorkingDays)
    .where(and(eq(tenantNonWorkingDays.tenantId, tenantId), eq(tenantNonWorkingDays.day, day)))
    .returning({ day: tenantNonWorkingDays.day });
  return rows.length > 0;
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

/** A new tenant's rules: the legal defaults (default-rules.ts), leaving any rule it already has. */
export async function insertDeadlineRules(
  db: DbOrTx,
  tenantId: string,
  rules: Array<{
    category: string;
    days: number;
    unit: 'working' | 'calendar';
    extensionDays: number;
    legalBasis: string;
  }>,
) {
  if (rules.length === 0) return;
  await db
    .insert(deadlineRules)
    .values(rules.map((r) => ({ tenantId, ...r, extensionAllowed: r.extensionDays > 0 })))
    .onConflictDoNothing();
}
