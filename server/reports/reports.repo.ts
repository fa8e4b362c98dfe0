/**
 * Every query of the regulator report: the complaints a period may concern (read only: the cases module owns the
 * table), and the report's own tables, the tenant's opt-in for the public page and the published quarters.
 */
import { and, desc, eq, gte, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cases, reportPublications, reportSettings } from '../db/schema/index.ts';
import type { IsoDate } from '../deadlines/index.ts';
import type { ReportCase } from './indicators.ts';

/**
 * The complaints that may count in [from, to]: registered by `asOf` and either registered in the period, not
 * communicated before it, due the day before it or later (a compensation falls due), or paid in it. A superset:
 * indicators.ts decides what each one counts for. Annulled registrations, what triage found not to be a complaint
 * and GDPR requests are never complaints (docs/legal.md).
 */
export function complaintsForPeriod(
  db: DbOrTx,
  tenantId: string,
  p: { from: IsoDate; asOf: IsoDate; fromInstant: string; dayBeforeFrom: IsoDate },
): Promise<ReportCase[]> {
  return db
    .select({
      category: cases.category,
      customerType: cases.customerType,
      energy: cases.energy,
      channel: cases.channel,
      source: cases.source,
      registeredOn: cases.registeredOn,
      dueDate: cases.dueDate,
      deadlineRule: cases.deadlineRule,
      status: cases.status,
      filedReason: cases.filedReason,
      closedAt: cases.closedAt,
      answerCommunicatedAt: cases.answerCommunicatedAt,
      answerCommunicatedBy: cases.answerCommunicatedBy,
      breachedAt: cases.breachedAt,
      delayDays: cases.delayDays,
      compensationLei: cases.compensationLei,
      compensationPaidLei: cases.compensationPaidLei,
      compensationPaidOn: cases.compensationPaidOn,
      compensationPaymentMethod: cases.compensationPaymentMethod,
      compensationNotifiedAt: cases.compensationNotifiedAt,
    })
    .from(cases)
    .where(
      and(
        eq(cases.tenantId, tenantId),
        eq(cases.kind, 'complaint'),
        sql`${cases.status} <> 'annulled'`,
        lte(cases.registeredOn, p.asOf),
        or(
          gte(cases.registeredOn, p.from),
          // Not communicated yet (pending, or an anonymous filing), or communicated from the period's first day.
          isNull(cases.answerCommunicatedAt),
          gte(cases.answerCommunicatedAt, new Date(p.fromInstant)),
          gte(cases.dueDate, p.dayBeforeFrom),
          gte(cases.compensationPaidOn, p.from),
        ),
      ),
    );
}

export async function getReportSettings(db: DbOrTx, tenantId: string) {
  const [row] = await db.select().from(reportSettings).where(eq(reportSettings.tenantId, tenantId));
  return row ?? null;
}

export async function upsertReportSettings(
  db: DbOrTx,
  tenantId: string,
  s: { publicPage: boolean; updatedBy: string },
) {
  const now = new Date();
  const [row] = await db
    .insert(reportSettings)
    .values({ tenantId, publicPage: s.publicPage, updatedBy: s.updatedBy, updatedAt: now })
    .onConflictDoUpdate({
      target: reportSettings.tenantId,
      set: { publicPage: s.publicPage, updatedBy: s.updatedBy, updatedAt: now },
    })
    .returning();
  return row!;
}

/** Inserts a publication; null when the quarter was already published (the unique constraint). */
export async function insertPublication(
  db: DbOrTx,
  p: {
    tenantId: string;
    periodFrom: IsoDate;
    periodTo: IsoDate;
    label: string;
    report: Record<string, unknown>;
    publishedBy: string;
  },
) {
  const [row] = await db
    .insert(reportPublications)
    .values(p)
    .onConflictDoNothing({
      target: [reportPublications.tenantId, reportPublications.periodFrom, reportPublications.periodTo],
    })
    .returning();
  return row ?? null;
}

/** The tenant's publications, the latest quarter first (without the figures). */
export function listPublications(db: DbOrTx, tenantId: string) {
  return db
    .select({
      id: reportPublications.id,
      periodFrom: reportPublications.periodFrom,
      periodTo: reportPublications.periodTo,
      label: reportPublications.label,
      publishedAt: reportPublications.publishedAt,
    })
    .from(reportPublications)
    .where(eq(reportPublications.tenantId, tenantId))
    .orderBy(desc(reportPublications.periodTo));
}

/** The latest quarter published, with its frozen figures. */
export async function latestPublication(db: DbOrTx, tenantId: string) {
  const [row] = await db
    .select()
    .from(reportPublications)
    .where(eq(reportPublications.tenantId, tenantId))
    .orderBy(desc(reportPublications.periodTo))
    .limit(1);
  return row ?? null;
}
