/**
 * A consumer's own cases, and what they sent through the portal (submissions and their files). Every query is
 * scoped by tenant and account: a case that is not one's own is not found.
 */
import { and, asc, desc, eq, inArray, or } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cases, places, portalFiles, portalSubmissions } from '../db/schema/index.ts';
import { linkedCustomerIds } from './portal-links.repo.ts';

// --- cases ------------------------------------------------------------------------------------------------------

/**
 * A consumer's own cases: those of a linked customer account (whatever the channel) and those the account
 * submitted through the portal. Nothing else, whatever number is asked for.
 */
function ownCaseCondition(db: DbOrTx, tenantId: string, accountId: string) {
  return and(
    eq(cases.tenantId, tenantId),
    or(
      inArray(cases.customerId, linkedCustomerIds(db, tenantId, accountId)),
      inArray(
        cases.id,
        db
          .select({ id: portalSubmissions.caseId })
          .from(portalSubmissions)
          .where(
            and(
              eq(portalSubmissions.tenantId, tenantId),
              eq(portalSubmissions.accountId, accountId),
              eq(portalSubmissions.kind, 'complaint'),
            ),
          ),
      ),
    ),
  );
}

const caseColumns = {
  id: cases.id,
  number: cases.number,
  status: cases.status,
  channel: cases.channel,
  category: cases.category,
  subject: cases.subject,
  receivedAt: cases.receivedAt,
  registeredOn: cases.registeredOn,
  dueDate: cases.dueDate,
  answerSentAt: cases.answerSentAt,
  placeCode: places.placeCode,
};

export async function listOwnCases(db: DbOrTx, tenantId: string, accountId: string, limit = 200) {
  return db
    .select(caseColumns)
    .from(cases)
    .leftJoin(places, eq(places.id, cases.placeId))
    .where(ownCaseCondition(db, tenantId, accountId))
    .orderBy(desc(cases.receivedAt), desc(cases.seq))
    .limit(limit);
}

export async function getOwnCase(db: DbOrTx, tenantId: string, accountId: string, number: string) {
  const [row] = await db
    .select({ ...caseColumns, body: cases.body, address: places.address })
    .from(cases)
    .leftJoin(places, eq(places.id, cases.placeId))
    .where(and(eq(cases.number, number), ownCaseCondition(db, tenantId, accountId)))
    .limit(1);
  return row ?? null;
}

// --- submissions and files --------------------------------------------------------------------------------------

export async function insertSubmission(db: DbOrTx, row: typeof portalSubmissions.$inferInsert) {
  const [created] = await db.insert(portalSubmissions).values(row).returning({ id: portalSubmissions.id });
  if (!created) throw new Error('portal submission not written');
  return created.id;
}

export async function insertFiles(db: DbOrTx, rows: Array<typeof portalFiles.$inferInsert>) {
  if (!rows.length) return [];
  return db.insert(portalFiles).values(rows).returning();
}

export async function markSubmissionCorrelated(db: DbOrTx, id: string, correlated: boolean | null) {
  await db.update(portalSubmissions).set({ correlated }).where(eq(portalSubmissions.id, id));
}

export async function listSubmissionsOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  const subs = await db
    .select({
      id: portalSubmissions.id,
      kind: portalSubmissions.kind,
      text: portalSubmissions.text,
      createdAt: portalSubmissions.createdAt,
    })
    .from(portalSubmissions)
    .where(and(eq(portalSubmissions.tenantId, tenantId), eq(portalSubmissions.caseId, caseId)))
    .orderBy(asc(portalSubmissions.createdAt));
  const files = await listFilesOfCase(db, tenantId, caseId);
  return subs.map((s) => ({ ...s, files: files.filter((f) => f.submissionId === s.id) }));
}

export function listFilesOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .select()
    .from(portalFiles)
    .where(and(eq(portalFiles.tenantId, tenantId), eq(portalFiles.caseId, caseId)))
    .orderBy(asc(portalFiles.id));
}

export async function getFileOfCase(db: DbOrTx, tenantId: string, caseId: string, id: number) {
  const [row] = await db
    .select()
    .from(portalFiles)
    .where(and(eq(portalFiles.tenantId, tenantId), eq(portalFiles.caseId, caseId), eq(portalFiles.id, id)));
  return row ?? null;
}
