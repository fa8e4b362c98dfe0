/**
 * The queries on a case and its events and messages (the cases module owns these tables, server/db/schema/README.md).
 * One file although past 300 lines: a repository is where a reader finds every query of its tables
 * (.dependency-cruiser.cjs, only-repositories-build-queries); each function is a few lines of drizzle.
 */
import { and, asc, count, desc, eq, inArray, isNull, like, notInArray, sql, type SQL } from 'drizzle-orm';
import { closedCaseStatuses, openCaseStatuses } from '../codes/case-codes.ts';
import type { CommunicationChannel } from '../codes/delivery.ts';
import type { DbOrTx } from '../db/client.ts';
import {
  caseEvents,
  caseMessages,
  cases,
  customers,
  places,
  users,
  type Case,
  taskStepTicks,
  type CaseProcessVersions,
} from '../db/schema/index.ts';
import { likePattern } from '../db/search-text.ts';

export const caseSummaryColumns = {
  id: cases.id,
  number: cases.number,
  status: cases.status,
  channel: cases.channel,
  category: cases.category,
  subject: cases.subject,
  contactName: cases.contactName,
  receivedAt: cases.receivedAt,
  registeredOn: cases.registeredOn,
  dueDate: cases.dueDate,
  customerCode: customers.customerCode,
  placeCode: places.placeCode,
};

export async function searchCases(
  db: DbOrTx,
  tenantId: string,
  q: string | undefined,
  page: { offset: number; limit: number },
) {
  const where = and(eq(cases.tenantId, tenantId), q ? like(cases.searchText, likePattern(q)) : undefined);
  const [items, [total]] = await Promise.all([
    db
      // The customer id is for the access log (server/cases/cases.service.ts), not for the list.
      .select({ ...caseSummaryColumns, customerId: cases.customerId })
      .from(cases)
      .leftJoin(customers, eq(customers.id, cases.customerId))
      .leftJoin(places, eq(places.id, cases.placeId))
      .where(where)
      .orderBy(desc(cases.receivedAt), desc(cases.seq))
      .offset(page.offset)
      .limit(page.limit),
    db.select({ n: count() }).from(cases).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

export async function getCaseByNumber(db: DbOrTx, tenantId: string, number: string) {
  const [row] = await db
    .select({ case: cases, customer: customers, place: places })
    .from(cases)
    .leftJoin(customers, eq(customers.id, cases.customerId))
    .leftJoin(places, eq(places.id, cases.placeId))
    .where(and(eq(cases.tenantId, tenantId), eq(cases.number, number)))
    .limit(1);
  return row ?? null;
}

export async function getCaseById(db: DbOrTx, tenantId: string, caseId: string) {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId)))
    .limit(1);
  return row ?? null;
}

/** The tenant's case summaries, with process instance and customer name, that `where` picks (the inbox's rows). */
function getCaseSummariesWhere(db: DbOrTx, tenantId: string, where: SQL) {
  return db
    .select({
      ...caseSummaryColumns,
      processInstanceId: cases.processInstanceId,
      customerName: customers.name,
    })
    .from(cases)
    .leftJoin(customers, eq(customers.id, cases.customerId))
    .leftJoin(places, eq(places.id, cases.placeId))
    .where(and(eq(cases.tenantId, tenantId), where));
}

export async function getCasesByProcessInstance(db: DbOrTx, tenantId: string, processInstanceIds: string[]) {
  if (processInstanceIds.length === 0) return [];
  return getCaseSummariesWhere(db, tenantId, sql`${cases.processInstanceId} in ${processInstanceIds}`);
}

export async function getCasesByNumbers(db: DbOrTx, tenantId: string, numbers: string[]) {
  if (numbers.length === 0) return [];
  return getCaseSummariesWhere(db, tenantId, sql`${cases.number} in ${numbers}`);
}

export async function addCaseEvent(
  db: DbOrTx,
  e: {
    tenantId: string;
    caseId: string;
    type: string;
    visibility: 'public' | 'internal';
    message: string;
    actorId?: string | null;
  },
) {
  await db.insert(caseEvents).values({ ...e, actorId: e.actorId ?? null });
}

export function listCaseEvents(db: DbOrTx, tenantId: string, caseId: string, publicOnly = false) {
  return db
    .select()
    .from(caseEvents)
    .where(
      and(
        eq(caseEvents.tenantId, tenantId),
        eq(caseEvents.caseId, caseId),
        publicOnly ? eq(caseEvents.visibility, 'public') : undefined,
      ),
    )
    .orderBy(asc(caseEvents.at), asc(caseEvents.id));
}

/**
 * The staff history of a case: every event with who made it (the staff member's name; null for the system, a
 * worker or the consumer). Staff only: the consumer's views (portal, status page) use listCaseEvents and never
 * show staff names.
 */
export function listCaseEventsWithActors(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .select({
      at: caseEvents.at,
      type: caseEvents.type,
      visibility: caseEvents.visibility,
      message: caseEvents.message,
      actorName: users.name,
    })
    .from(caseEvents)
    .leftJoin(users, and(eq(users.id, caseEvents.actorId), eq(users.tenantId, caseEvents.tenantId)))
    .where(and(eq(caseEvents.tenantId, tenantId), eq(caseEvents.caseId, caseId)))
    .orderBy(asc(caseEvents.at), asc(caseEvents.id));
}

export function listCaseMessages(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .select()
    .from(caseMessages)
    .where(and(eq(caseMessages.tenantId, tenantId), eq(caseMessages.caseId, caseId)))
    .orderBy(asc(caseMessages.sentAt));
}

/** What the officers noted at each task (the verification report lists them), oldest first. */
export async function taskNotesOf(db: DbOrTx, caseId: string): Promise<string[]> {
  const rows = await db
    .select({ message: caseEvents.message })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'task_note')))
    .orderBy(asc(caseEvents.id));
  return rows.map((r) => r.message);
}

/**
 * Records when the answer counts as given, once: the first of SMTP acceptance, the letter's recorded dispatch or
 * the consumer's download of the answer from the portal (a later moment never replaces an earlier one). Returns
 * whether this call recorded it.
 */
export async function recordAnswerCommunication(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  at: Date,
  by: CommunicationChannel,
): Promise<boolean> {
  const rows = await db
    .update(cases)
    .set({ answerCommunicatedAt: at, answerCommunicatedBy: by })
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId), isNull(cases.answerCommunicatedAt)))
    .returning({ id: cases.id });
  return rows.length > 0;
}

/** Links a contestation to the case whose answer it contests (read from the new case). */
export async function setContestedCase(db: DbOrTx, tenantId: string, caseId: string, contestsCaseId: string) {
  await db
    .update(cases)
    .set({ contestsCaseId })
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId)));
}

const linkColumns = {
  number: cases.number,
  status: cases.status,
  receivedAt: cases.receivedAt,
  dueDate: cases.dueDate,
};

/** The case `contestsCaseId` names (if any), and the later cases that contest `caseId`, oldest first. */
export async function contestLinks(
  db: DbOrTx,
  tenantId: string,
  c: { id: string; contestsCaseId: string | null },
) {
  const [contests, contestedBy] = await Promise.all([
    c.contestsCaseId
      ? db
          .select(linkColumns)
          .from(cases)
          .where(and(eq(cases.tenantId, tenantId), eq(cases.id, c.contestsCaseId)))
      : Promise.resolve([]),
    db
      .select(linkColumns)
      .from(cases)
      .where(and(eq(cases.tenantId, tenantId), eq(cases.contestsCaseId, c.id)))
      .orderBy(asc(cases.receivedAt)),
  ]);
  return { contests: contests[0] ?? null, contestedBy };
}

/**
 * What a completed task writes on the case. Work on a case moves it from registered to in progress; a task done
 * after the answer (posting it, granting the compensation, the survey) or after filing never moves it back.
 */
export async function updateCaseFromTask(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  set: Partial<Pick<Case, TaskWrittenField>>,
) {
  await db
    .update(cases)
    .set({
      ...set,
      status: sql`case when ${cases.status} = 'registered' then 'in_progress' else ${cases.status} end`,
    })
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId)));
}

export type TaskWrittenField =
  | 'findings'
  | 'answerText'
  | 'filedReason'
  | 'kind'
  | 'category'
  | 'customerType'
  | 'energy'
  | 'source'
  | 'authorityName'
  | 'authorityReference'
  | 'authorityDueDate'
  | 'additionalCategories'
  | 'dueDate'
  | 'deadlineRule';

/** The consumer was identified: the case gets the customer and place, and is found by their name and codes too. */
export async function setCaseConsumer(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  c: {
    customerId: string;
    placeId: string | null;
    customerType: Case['customerType'];
    energy?: Case['energy'];
    searchWords: string;
  },
) {
  await db
    .update(cases)
    .set({
      customerId: c.customerId,
      placeId: c.placeId,
      customerType: c.customerType,
      ...(c.energy ? { energy: c.energy } : {}),
      searchText: sql`${cases.searchText} || ' ' || ${c.searchWords}`,
    })
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId)));
}

/** Our message to the consumer, once per case and kind; false when that kind was sent already (a retried task). */
export async function insertOutgoingMessage(
  db: DbOrTx,
  m: Omit<typeof caseMessages.$inferInsert, 'id' | 'sentAt'>,
): Promise<boolean> {
  const rows = await db
    .insert(caseMessages)
    .values(m)
    .onConflictDoNothing()
    .returning({ id: caseMessages.id });
  return rows.length > 0;
}

/** What a worker's step writes on the case (status, dates, delay and compensation, the moved due date, ...). */
export async function updateCaseFromWorker(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  set: Partial<Omit<Case, 'id' | 'tenantId' | 'number' | 'year' | 'seq'>>,
) {
  await db
    .update(cases)
    .set(set)
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId)));
}

/** Whether a message of this kind went out for the case already. */
export async function hasOutgoingMessage(db: DbOrTx, caseId: string, kind: string): Promise<boolean> {
  const rows = await db
    .select({ id: caseMessages.id })
    .from(caseMessages)
    .where(and(eq(caseMessages.caseId, caseId), eq(caseMessages.kind, kind)))
    .limit(1);
  return rows.length > 0;
}

/** The text of the case's latest event of this type, or null. */
export async function latestEventMessage(db: DbOrTx, caseId: string, type: string): Promise<string | null> {
  const [row] = await db
    .select({ message: caseEvents.message })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, type)))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  return row?.message ?? null;
}

/** The cases of these customers (the call center's view of earlier complaints), newest first, at most `limit`. */
export function casesOfCustomers(db: DbOrTx, tenantId: string, customerIds: string[], limit: number) {
  return db
    .select({
      number: cases.number,
      customerId: cases.customerId,
      placeId: cases.placeId,
      category: cases.category,
      subject: cases.subject,
      status: cases.status,
      receivedAt: cases.receivedAt,
      dueDate: cases.dueDate,
      closedAt: cases.closedAt,
    })
    .from(cases)
    .where(and(eq(cases.tenantId, tenantId), inArray(cases.customerId, customerIds)))
    .orderBy(desc(cases.receivedAt))
    .limit(limit);
}

/** A complaint resolved during the call: what the agent said is both the findings and the answer. */
export async function setResolution(db: DbOrTx, tenantId: string, caseId: string, resolution: string) {
  await db
    .update(cases)
    .set({ findings: resolution, answerText: resolution })
    .where(and(eq(cases.id, caseId), eq(cases.tenantId, tenantId)));
}

/** The newest open case that contests `earlierId` (a contestation or an earlier further message), if any. */
export async function openCaseContesting(db: DbOrTx, tenantId: string, earlierId: string) {
  const [row] = await db
    .select({ caseId: cases.id, number: cases.number })
    .from(cases)
    .where(
      and(
        eq(cases.tenantId, tenantId),
        eq(cases.contestsCaseId, earlierId),
        inArray(cases.status, [...openCaseStatuses]),
      ),
    )
    .orderBy(desc(cases.receivedAt))
    .limit(1);
  return row ?? null;
}

/** A registration made by mistake is annulled with a reason, never deleted: its number stays used. */
/**
 * Annuls the case unless it is closed (closed, filed or already annulled: case-codes.ts) when the statement runs,
 * so a case closed or filed since the caller looked is not annulled after all. Returns whether it was annulled.
 */
export async function annulCase(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  a: { at: Date; by: string; reason: string },
): Promise<boolean> {
  const rows = await db
    .update(cases)
    .set({ status: 'annulled', annulledAt: a.at, annulledBy: a.by, annulReason: a.reason })
    .where(
      and(
        eq(cases.tenantId, tenantId),
        eq(cases.id, caseId),
        notInArray(cases.status, [...closedCaseStatuses]),
      ),
    )
    .returning({ id: cases.id });
  return rows.length > 0;
}

/** A complaint case that was in fact a GDPR request: filed out of the complaint statistics, closed now. */
export async function fileAsGdprRequest(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  f: { requestNumber: string; at: Date },
) {
  await db
    .update(cases)
    .set({
      kind: 'gdpr_request',
      status: 'filed',
      filedReason: `cerere GDPR ${f.requestNumber}`,
      closedAt: f.at,
    })
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId)));
}

/**
 * Retention and erasure (server/retention): the personal data of the case row and of our messages go; number,
 * dates, category, status, deadlines, delay and compensation stay (statistics and ANRE reports stay correct).
 */
export async function anonymiseCaseRows(db: DbOrTx, tenantId: string, caseId: string, removed: string) {
  await db.execute(sql`
    update cases set subject = ${removed}, body = ${removed}, contact_name = ${removed}, contact_email = null,
      contact_phone = null, customer_id = null, place_id = null,
      findings = case when findings is null then null else ${removed} end,
      answer_text = case when answer_text is null then null else ${removed} end,
      annul_reason = case when annul_reason is null then null else ${removed} end,
      search_text = lower(number)
    where id = ${caseId} and tenant_id = ${tenantId}`);
  await db.execute(sql`
    update case_messages set to_address = null, subject = ${removed}, text = null, attachments = null
    where case_id = ${caseId} and tenant_id = ${tenantId}`);
}

/** Records the process and instruction versions the case ran under (at its end). */
export async function setProcessVersions(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  versions: CaseProcessVersions,
) {
  await db
    .update(cases)
    .set({ processVersions: versions })
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId)));
}

/** The work-instruction steps ticked on the case's tasks (the tasks module writes them; the progress view reads). */
export function stepTicksOfCase(db: DbOrTx, caseId: string) {
  return db.select().from(taskStepTicks).where(eq(taskStepTicks.caseId, caseId));
}
