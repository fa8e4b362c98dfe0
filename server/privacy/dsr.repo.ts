import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import {
  dataSubjectRequests,
  dsrDocuments,
  postalDispatches,
  type DataSubjectRequest,
} from '../db/schema/index.ts';

/** The privacy module's queries: data-subject requests, their numbers and their letters. */

export async function requestByNumber(
  db: DbOrTx,
  tenantId: string,
  number: string,
): Promise<DataSubjectRequest | null> {
  const [r] = await db
    .select()
    .from(dataSubjectRequests)
    .where(and(eq(dataSubjectRequests.tenantId, tenantId), eq(dataSubjectRequests.number, number)));
  return r ?? null;
}

/**
 * The request with its number `<TENANT>-GDPR-<YYYY>-<NNNNNN>`: gapless per tenant and year, the counter row locked
 * only inside the caller's transaction.
 */
export async function insertRequest(
  tx: DbOrTx,
  tenantCode: string,
  year: number,
  row: Omit<typeof dataSubjectRequests.$inferInsert, 'number' | 'year' | 'seq'> & { tenantId: string },
): Promise<DataSubjectRequest> {
  const [counter] = (await tx.execute(sql`
    insert into dsr_counters (tenant_id, year, last_value) values (${row.tenantId}, ${year}, 1)
    on conflict (tenant_id, year) do update set last_value = dsr_counters.last_value + 1
    returning last_value`)) as unknown as Array<{ last_value: number }>;
  const seq = Number(counter!.last_value);
  const number = `${tenantCode}-GDPR-${year}-${String(seq).padStart(6, '0')}`;
  const [r] = await tx
    .insert(dataSubjectRequests)
    .values({ ...row, number, year, seq })
    .returning();
  return r!;
}

export async function setProcessInstance(db: DbOrTx, id: string, processInstanceId: string) {
  await db.update(dataSubjectRequests).set({ processInstanceId }).where(eq(dataSubjectRequests.id, id));
}

/** The one extension (art. 12(3)); null when the request was extended meanwhile. */
export async function extendRequest(
  db: DbOrTx,
  id: string,
  set: { dueDate: string; originalDueDate: string; extendedAt: Date; extensionReason: string },
): Promise<DataSubjectRequest | null> {
  const [r] = await db
    .update(dataSubjectRequests)
    .set(set)
    .where(and(eq(dataSubjectRequests.id, id), sql`${dataSubjectRequests.extendedAt} is null`))
    .returning();
  return r ?? null;
}

/** The answer; null when the request was answered meanwhile. */
export async function answerRequest(
  db: DbOrTx,
  id: string,
  set: Pick<DataSubjectRequest, 'outcome' | 'answerText' | 'refusalReason'>,
): Promise<DataSubjectRequest | null> {
  const [r] = await db
    .update(dataSubjectRequests)
    .set({ ...set, status: 'answered', answeredAt: new Date() })
    .where(and(eq(dataSubjectRequests.id, id), eq(dataSubjectRequests.status, 'open')))
    .returning();
  return r ?? null;
}

export function listRequests(db: DbOrTx, tenantId: string, status?: 'open' | 'answered') {
  return db
    .select()
    .from(dataSubjectRequests)
    .where(
      and(
        eq(dataSubjectRequests.tenantId, tenantId),
        status ? eq(dataSubjectRequests.status, status) : undefined,
      ),
    )
    .orderBy(
      asc(dataSubjectRequests.status),
      asc(dataSubjectRequests.dueDate),
      desc(dataSubjectRequests.number),
    )
    .limit(500);
}

/** A letter of the request, issued once per kind; null when it was issued before. */
export async function insertDocument(
  db: DbOrTx,
  d: Omit<typeof dsrDocuments.$inferInsert, 'id' | 'createdAt'>,
): Promise<number | null> {
  const inserted = await db
    .insert(dsrDocuments)
    .values(d)
    .onConflictDoNothing()
    .returning({ id: dsrDocuments.id });
  return inserted[0]?.id ?? null;
}

export function documentsOfRequest(db: DbOrTx, requestId: string) {
  return db
    .select({
      id: dsrDocuments.id,
      kind: dsrDocuments.kind,
      fileName: dsrDocuments.fileName,
      sha256: dsrDocuments.sha256,
      size: dsrDocuments.size,
      createdAt: dsrDocuments.createdAt,
    })
    .from(dsrDocuments)
    .where(eq(dsrDocuments.requestId, requestId))
    .orderBy(asc(dsrDocuments.id));
}

export async function documentOfRequest(db: DbOrTx, requestId: string, id: number) {
  const [d] = await db
    .select()
    .from(dsrDocuments)
    .where(and(eq(dsrDocuments.requestId, requestId), eq(dsrDocuments.id, id)));
  return d ?? null;
}

/** A GDPR letter queued in the postal register of this tenant, with the request it belongs to. */
export async function letterInPostalRegister(db: DbOrTx, tenantId: string, dispatchId: number) {
  const [row] = await db
    .select({
      requestId: dsrDocuments.requestId,
      customerId: dataSubjectRequests.customerId,
      documentId: dsrDocuments.id,
      kind: dsrDocuments.kind,
      fileName: dsrDocuments.fileName,
      sha256: dsrDocuments.sha256,
      content: dsrDocuments.content,
    })
    .from(postalDispatches)
    .innerJoin(dsrDocuments, eq(dsrDocuments.id, postalDispatches.dsrDocumentId))
    .innerJoin(dataSubjectRequests, eq(dataSubjectRequests.id, dsrDocuments.requestId))
    .where(
      and(
        eq(postalDispatches.tenantId, tenantId),
        eq(postalDispatches.id, dispatchId),
        isNotNull(postalDispatches.dsrDocumentId),
      ),
    );
  return row ?? null;
}

const taskColumns = {
  number: dataSubjectRequests.number,
  right: dataSubjectRequests.right,
  status: dataSubjectRequests.status,
  dueDate: dataSubjectRequests.dueDate,
  extendedAt: dataSubjectRequests.extendedAt,
};

export function requestsByNumbers(db: DbOrTx, tenantId: string, numbers: string[]) {
  return db
    .select(taskColumns)
    .from(dataSubjectRequests)
    .where(and(eq(dataSubjectRequests.tenantId, tenantId), inArray(dataSubjectRequests.number, numbers)));
}

export async function requestOfInstance(db: DbOrTx, tenantId: string, processInstanceId: string) {
  const [r] = await db
    .select(taskColumns)
    .from(dataSubjectRequests)
    .where(
      and(
        eq(dataSubjectRequests.tenantId, tenantId),
        eq(dataSubjectRequests.processInstanceId, processInstanceId),
      ),
    );
  return r ?? null;
}
