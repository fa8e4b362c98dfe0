import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { BUSINESS_TZ, businessDate } from '../codes/business-date.ts';
import type { DbOrTx } from '../db/client.ts';
import { caseComments, inboxSavedFilters, tasks, users } from '../db/schema/index.ts';

export type InboxView = 'mine' | 'groups' | 'all';
export type DueFilter = 'overdue' | 'today' | 'week';

export interface InboxFilters {
  category?: string | undefined;
  channel?: string | undefined;
  /** The case's status. */
  status?: string | undefined;
  /** Place of consumption code (POD/CLC), or its beginning. */
  place?: string | undefined;
  due?: DueFilter | undefined;
  /** Free text: case number, customer, subject, place code, task name (diacritics ignored). */
  q?: string | undefined;
  /** `unassigned` or `assigned`: whether someone holds the task. */
  holder?: 'unassigned' | 'assigned' | undefined;
}

export interface ViewScope {
  tenantId: string;
  userId: string;
  jobRoles: string[];
}

/** The keyset position: the due moment and id of the last row of the previous page. */
export interface InboxCursor {
  due: string;
  id: string;
}

function viewCondition(view: InboxView, s: ViewScope): SQL | null {
  if (view === 'mine') return sql`${tasks.assignee} = ${s.userId}`;
  if (view === 'groups') {
    if (s.jobRoles.length === 0) return null;
    // Array literal with a cast so the GIN index (text[] &&) is usable.
    return sql`${tasks.candidateGroups} && ${`{${s.jobRoles.map((r) => `"${r.replace(/["\\]/g, '')}"`).join(',')}}`}::text[]`;
  }
  return sql`true`;
}

function filterConditions(f: InboxFilters): SQL[] {
  const c: SQL[] = [];
  if (f.category) c.push(sql`${tasks.category} = ${f.category}`);
  if (f.channel) c.push(sql`${tasks.channel} = ${f.channel}`);
  if (f.status) c.push(sql`${tasks.caseStatus} = ${f.status}`);
  if (f.place) c.push(sql`${tasks.placeCode} like ${`${f.place.toUpperCase().replace(/[\\%_]/g, '')}%`}`);
  if (f.holder === 'unassigned') c.push(sql`${tasks.assignee} is null`);
  if (f.holder === 'assigned') c.push(sql`${tasks.assignee} is not null`);
  const caseNumber = f.q?.trim().toUpperCase();
  if (caseNumber && /^[A-Z0-9]{2,20}-\d{4}-\d{6}$/.test(caseNumber)) {
    // A whole registration number: the exact case, by index.
    c.push(sql`${tasks.caseNumber} = ${caseNumber}`);
  } else if (f.q) {
    const pattern = sql`'%' || replace(replace(replace(inbox_norm(${f.q}), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;
    c.push(sql`${tasks.searchText} like ${pattern}`);
  }
  if (f.due) {
    // Business days are Bucharest days: today is the business date (server/codes), its bounds taken in that zone.
    const today = sql`${businessDate()}::date`;
    const startOf = (d: SQL) => sql`((${d})::timestamp at time zone ${BUSINESS_TZ})`;
    if (f.due === 'overdue') c.push(sql`${tasks.dueAt} < now()`);
    if (f.due === 'today')
      c.push(sql`${tasks.dueAt} >= now() and ${tasks.dueAt} < ${startOf(sql`${today} + 1`)}`);
    if (f.due === 'week')
      c.push(sql`${tasks.dueAt} >= now() and ${tasks.dueAt} < ${startOf(sql`${today} + 7`)}`);
  }
  return c;
}

function where(view: InboxView, s: ViewScope, f: InboxFilters): SQL | null {
  const v = viewCondition(view, s);
  if (!v) return null;
  return and(eq(tasks.tenantId, s.tenantId), sql`${tasks.state} = 'open'`, v, ...filterConditions(f)) ?? null;
}

const listColumns = {
  id: tasks.id,
  name: tasks.name,
  taskDefinitionKey: tasks.taskDefinitionKey,
  assignee: tasks.assignee,
  assigneeName: users.name,
  candidateGroups: tasks.candidateGroups,
  createdAt: tasks.createdAt,
  dueAt: sql<Date | null>`nullif(${tasks.dueAt}, 'infinity')`,
  dueKey: sql<string>`${tasks.dueAt}::text`,
  caseId: tasks.caseId,
  caseNumber: tasks.caseNumber,
  category: tasks.category,
  channel: tasks.channel,
  caseDueDate: tasks.caseDueDate,
  caseStatus: tasks.caseStatus,
  placeCode: tasks.placeCode,
  customerName: tasks.customerName,
  subject: tasks.subject,
};

/** One page of a view, sorted by due moment (then id), after the cursor. */
export async function listInbox(
  db: DbOrTx,
  view: InboxView,
  s: ViewScope,
  f: InboxFilters,
  opts: { limit: number; after?: InboxCursor | undefined; order: 'asc' | 'desc' },
) {
  const w = where(view, s, f);
  if (!w) return [];
  const keyset = opts.after
    ? opts.order === 'asc'
      ? sql`(${tasks.dueAt}, ${tasks.id}) > (${opts.after.due}::timestamptz, ${opts.after.id})`
      : sql`(${tasks.dueAt}, ${tasks.id}) < (${opts.after.due}::timestamptz, ${opts.after.id})`
    : undefined;
  const dir = opts.order === 'asc' ? asc : desc;
  return db
    .select(listColumns)
    .from(tasks)
    .leftJoin(users, sql`${users.id}::text = ${tasks.assignee}`)
    .where(keyset ? and(w, keyset) : w)
    .orderBy(dir(tasks.dueAt), dir(tasks.id))
    .limit(opts.limit);
}

/** Counts stop here: "more than 1 000" is all an inbox tab needs, and it keeps every count cheap. */
export const COUNT_CAP = 1_000;

/**
 * Open tasks of a view with the filters, up to COUNT_CAP + 1 (more than the cap reads as "over 1 000").
 * Without a text or place filter the count is ordered by due date, for the planner, not the result: unordered, a
 * capped count of "my job roles" walked the workload index (sorted by role: tens of thousands of other roles'
 * entries first) or built a GIN bitmap of every matching task, 25-100 ms on 100k open tasks; ordered, it stops
 * after the first 1 001 matches on the due-date indexes. A text or place filter has its own selective index,
 * which the same ORDER BY would make the planner skip (3-4 times slower, measured with bench:inbox).
 */
export async function countInbox(db: DbOrTx, view: InboxView, s: ViewScope, f: InboxFilters) {
  const w = where(view, s, f);
  if (!w) return 0;
  const order = f.q || f.place ? sql`` : sql`order by ${tasks.dueAt}`;
  const rows = (await db.execute(
    sql`select count(*)::int as n from (select 1 from ${tasks} where ${w} ${order} limit ${COUNT_CAP + 1}) capped`,
  )) as unknown as Array<{ n: number }>;
  return rows[0]?.n ?? 0;
}

/** A task of the tenant as the read model knows it (any state). */
export async function getReadModelTask(db: DbOrTx, tenantId: string, taskId: string) {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, taskId)));
  return row ?? null;
}

/** Every task of a case's process instances (open and ended), oldest first: the user-task history. */
export async function tasksOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .select({
      id: tasks.id,
      name: tasks.name,
      state: tasks.state,
      assignee: tasks.assignee,
      assigneeName: users.name,
      createdAt: tasks.createdAt,
      endedAt: tasks.endedAt,
    })
    .from(tasks)
    .leftJoin(users, sql`${users.id}::text = ${tasks.assignee}`)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.caseId, caseId)))
    .orderBy(asc(tasks.createdAt));
}

// Saved filters ---------------------------------------------------------------------------------------------

export function listSavedFilters(db: DbOrTx, tenantId: string, userId: string) {
  return db
    .select({
      id: inboxSavedFilters.id,
      name: inboxSavedFilters.name,
      filters: inboxSavedFilters.filters,
    })
    .from(inboxSavedFilters)
    .where(and(eq(inboxSavedFilters.tenantId, tenantId), eq(inboxSavedFilters.userId, userId)))
    .orderBy(asc(inboxSavedFilters.name));
}

/** Saves (or replaces, by name) one of the user's filters. */
export async function saveFilter(
  db: DbOrTx,
  v: { tenantId: string; userId: string; name: string; filters: Record<string, string> },
) {
  const [row] = await db
    .insert(inboxSavedFilters)
    .values(v)
    .onConflictDoUpdate({
      target: [inboxSavedFilters.userId, inboxSavedFilters.name],
      set: { filters: v.filters, createdAt: new Date() },
    })
    .returning({
      id: inboxSavedFilters.id,
      name: inboxSavedFilters.name,
      filters: inboxSavedFilters.filters,
    });
  return row!;
}

export async function deleteSavedFilter(db: DbOrTx, tenantId: string, userId: string, id: string) {
  const rows = await db
    .delete(inboxSavedFilters)
    .where(
      and(
        eq(inboxSavedFilters.id, id),
        eq(inboxSavedFilters.tenantId, tenantId),
        eq(inboxSavedFilters.userId, userId),
      ),
    )
    .returning({ id: inboxSavedFilters.id });
  return rows.length > 0;
}

// Comments --------------------------------------------------------------------------------------------------

export function listComments(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .select({
      id: caseComments.id,
      body: caseComments.body,
      taskId: caseComments.taskId,
      authorName: users.name,
      createdAt: caseComments.createdAt,
    })
    .from(caseComments)
    .innerJoin(users, eq(users.id, caseComments.authorId))
    .where(and(eq(caseComments.tenantId, tenantId), eq(caseComments.caseId, caseId)))
    .orderBy(asc(caseComments.createdAt), asc(caseComments.id));
}

export async function addComment(
  db: DbOrTx,
  v: { tenantId: string; caseId: string; taskId: string; authorId: string; body: string },
) {
  const [row] = await db
    .insert(caseComments)
    .values(v)
    .returning({ id: caseComments.id, createdAt: caseComments.createdAt });
  return row!;
}

// Holders ---------------------------------------------------------------------------------------------------

/** Active users of the tenant holding one of the job roles (delegation targets). */
export async function holdersOfRoles(db: DbOrTx, tenantId: string, roleCodes: string[]) {
  if (roleCodes.length === 0) return [];
  const rows = (await db.execute(sql`
    select distinct u.id, u.name, u.email
    from job_role_holders h
    join users u on u.id = h.user_id
    where u.tenant_id = ${tenantId} and h.tenant_id = ${tenantId} and u.active
      and h.job_role_code = any(${`{${roleCodes.map((c) => `"${c.replace(/["\\]/g, '')}"`).join(',')}}`}::text[])
    order by u.name`)) as unknown as Array<{ id: string; name: string; email: string }>;
  return rows;
}
