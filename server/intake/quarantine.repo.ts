import { and, count, desc, eq, isNotNull, isNull, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cases, mailQuarantine } from '../db/schema/index.ts';

export type QuarantineFilter = 'open' | 'resolved' | 'all';
export type QuarantinedMessage = typeof mailQuarantine.$inferSelect;

/** One quarantined message of the tenant, with the number of the case it became (if any). */
export async function getQuarantined(db: DbOrTx, tenantId: string, id: number) {
  const [row] = await db
    .select({ q: mailQuarantine, caseNumber: cases.number })
    .from(mailQuarantine)
    .leftJoin(cases, and(eq(cases.id, mailQuarantine.caseId), eq(cases.tenantId, tenantId)))
    .where(and(eq(mailQuarantine.tenantId, tenantId), eq(mailQuarantine.id, id)));
  return row ?? null;
}

/** A page of the tenant's quarantine, newest first, and how many there are in all. */
export async function pageOfQuarantine(
  db: DbOrTx,
  tenantId: string,
  q: { status: QuarantineFilter; page: number; pageSize: number },
) {
  const conds: SQL[] = [eq(mailQuarantine.tenantId, tenantId)];
  if (q.status === 'open') conds.push(isNull(mailQuarantine.resolvedAt));
  if (q.status === 'resolved') conds.push(isNotNull(mailQuarantine.resolvedAt));
  const where = and(...conds);
  const [rows, [total]] = await Promise.all([
    db
      .select({ q: mailQuarantine, caseNumber: cases.number })
      .from(mailQuarantine)
      .leftJoin(cases, and(eq(cases.id, mailQuarantine.caseId), eq(cases.tenantId, tenantId)))
      .where(where)
      .orderBy(desc(mailQuarantine.createdAt), desc(mailQuarantine.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(mailQuarantine).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** Resolves a message still open; null when it was resolved meanwhile (a second decision). */
export async function resolveQuarantined(
  db: DbOrTx,
  tenantId: string,
  id: number,
  set: {
    resolvedBy: string;
    resolution: 'registered' | 'handled';
    resolutionNote: string;
    caseId?: string;
  },
) {
  const [row] = await db
    .update(mailQuarantine)
    .set({ ...set, resolvedAt: new Date() })
    .where(
      and(
        eq(mailQuarantine.id, id),
        eq(mailQuarantine.tenantId, tenantId),
        isNull(mailQuarantine.resolvedAt),
      ),
    )
    .returning();
  return row ?? null;
}
