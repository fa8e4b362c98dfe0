import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { operatorRequests } from '../db/schema/index.ts';

export async function latestRequestOfInstance(db: DbOrTx, tenantId: string, processInstanceId: string) {
  const [row] = await db
    .select()
    .from(operatorRequests)
    .where(
      and(eq(operatorRequests.tenantId, tenantId), eq(operatorRequests.processInstanceId, processInstanceId)),
    )
    .orderBy(desc(operatorRequests.id))
    .limit(1);
  return row ?? null;
}

export async function requestByReference(db: DbOrTx, tenantId: string, reference: string) {
  const [row] = await db
    .select()
    .from(operatorRequests)
    .where(and(eq(operatorRequests.tenantId, tenantId), eq(operatorRequests.reference, reference)))
    .limit(1);
  return row ?? null;
}

export function listRequestsOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .select()
    .from(operatorRequests)
    .where(and(eq(operatorRequests.tenantId, tenantId), eq(operatorRequests.caseId, caseId)))
    .orderBy(asc(operatorRequests.id));
}

/** Marks the answer once; false when it was already answered. */
export async function markAnswered(db: DbOrTx, id: number, answerText: string) {
  const rows = await db
    .update(operatorRequests)
    .set({ answeredAt: new Date(), answerText })
    .where(and(eq(operatorRequests.id, id), isNull(operatorRequests.answeredAt)))
    .returning({ id: operatorRequests.id });
  return rows.length > 0;
}

/** The request an operator's e-mail answers: by our reference (subject) or our Message-ID (In-Reply-To/References). */
export async function requestByReferenceOrMessageId(
  db: DbOrTx,
  tenantId: string,
  q: { reference: string | null; messageIds: string[] },
) {
  const ids = q.messageIds.slice(0, 100);
  const conds = [
    q.reference ? eq(operatorRequests.reference, q.reference) : undefined,
    ids.length ? inArray(operatorRequests.messageId, ids) : undefined,
  ].filter((c) => c !== undefined);
  if (!conds.length) return null;
  const [row] = await db
    .select()
    .from(operatorRequests)
    .where(and(eq(operatorRequests.tenantId, tenantId), or(...conds)))
    .orderBy(desc(operatorRequests.id))
    .limit(1);
  return row ?? null;
}

/** A new request to the distribution operator; its reference numbers the case's requests (`<number>/OD<n>`). */
export async function insertRequest(
  db: DbOrTx,
  r: { tenantId: string; caseId: string; caseNumber: string; questions: string; processInstanceId: string },
) {
  const [{ n }] = (await db.execute(
    sql`select count(*)::int as n from operator_requests where case_id = ${r.caseId}`,
  )) as unknown as [{ n: number }];
  await db.insert(operatorRequests).values({
    tenantId: r.tenantId,
    caseId: r.caseId,
    reference: `${r.caseNumber}/OD${n + 1}`,
    questions: r.questions,
    processInstanceId: r.processInstanceId,
  });
}

/** Notes the Message-ID the request goes out with, unless it has one already. */
export async function setMessageIdOnce(db: DbOrTx, id: number, messageId: string) {
  await db
    .update(operatorRequests)
    .set({ messageId })
    .where(and(eq(operatorRequests.id, id), isNull(operatorRequests.messageId)));
}

/** Marks the request sent; false when no row was there to mark. */
export async function markSent(
  db: DbOrTx,
  id: number,
  toAddress: string,
  messageId: string,
): Promise<boolean> {
  const rows = await db
    .update(operatorRequests)
    .set({ sentAt: new Date(), toAddress, messageId })
    .where(eq(operatorRequests.id, id))
    .returning({ id: operatorRequests.id });
  return rows.length > 0;
}

/** Retention and erasure: the questions, the address and the operator's answer of the case's requests go. */
export async function anonymiseRequestsOfCase(db: DbOrTx, tenantId: string, caseId: string, removed: string) {
  await db.execute(sql`
    update operator_requests set questions = ${removed}, to_address = null,
      answer_text = case when answer_text is null then null else ${removed} end
    where case_id = ${caseId} and tenant_id = ${tenantId}`);
}
