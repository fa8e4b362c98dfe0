import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cases, personalDataAccess, users } from '../db/schema/index.ts';
import type { AccessEntry, AccessQuery, CaseAccessEntry } from './access-log.ts';

/** The personal-data access log's queries; the audit module's access-log.ts is their one caller. */
export async function insertAccessRows(db: DbOrTx, rows: AccessEntry[]): Promise<void> {
  await db.insert(personalDataAccess).values(
    rows.map((e) => ({
      tenantId: e.tenantId,
      actorId: e.actorId,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      customerId: e.customerId ?? null,
      caseId: e.caseId ?? null,
      via: e.via ?? null,
    })),
  );
}

/** One row per part read, with the person the case is about taken from the case in the same statement. */
export async function insertCaseAccessRows(db: DbOrTx, e: CaseAccessEntry): Promise<void> {
  await db.execute(sql`
    insert into personal_data_access (tenant_id, actor_id, subject_type, subject_id, customer_id, case_id, via)
    select c.tenant_id, ${e.actorId}, ${e.subjectType}, s.id, c.customer_id, c.id, ${e.via ?? null}
    from cases c, unnest(array[${sql.join(
      e.subjectIds.map((id) => sql`${id}`),
      sql`, `,
    )}]::text[]) as s(id)
    where c.id = ${e.caseId} and c.tenant_id = ${e.tenantId}`);
}

/** The tenant's access log, newest first, filtered by who read and about whom (one indexed query). */
export function listAccess(db: DbOrTx, tenantId: string, q: AccessQuery & { caseId?: string | undefined }) {
  const where: SQL[] = [eq(personalDataAccess.tenantId, tenantId)];
  if (q.actorId) where.push(eq(personalDataAccess.actorId, q.actorId));
  if (q.customerId) where.push(eq(personalDataAccess.customerId, q.customerId));
  if (q.caseId) where.push(eq(personalDataAccess.caseId, q.caseId));
  if (q.before) where.push(lt(personalDataAccess.id, q.before));
  return db
    .select({
      id: personalDataAccess.id,
      at: personalDataAccess.at,
      actorId: personalDataAccess.actorId,
      actorName: users.name,
      subjectType: personalDataAccess.subjectType,
      subjectId: personalDataAccess.subjectId,
      customerId: personalDataAccess.customerId,
      caseId: personalDataAccess.caseId,
      caseNumber: cases.number,
      via: personalDataAccess.via,
    })
    .from(personalDataAccess)
    .leftJoin(users, eq(users.id, personalDataAccess.actorId))
    .leftJoin(cases, eq(cases.id, personalDataAccess.caseId))
    .where(and(...where))
    .orderBy(desc(personalDataAccess.id))
    .limit(q.limit);
}

export async function caseIdOfNumber(db: DbOrTx, tenantId: string, number: string): Promise<string | null> {
  const [c] = await db
    .select({ id: cases.id })
    .from(cases)
    .where(and(eq(cases.tenantId, tenantId), eq(cases.number, number)));
  return c?.id ?? null;
}
