/**
 * Every query of the supervisor's view: the cases not closed yet with their counts by risk, their tasks and ticked
 * steps (from the inbox read model), workload per officer and job role, who may take a task, and registrations per
 * period. Reads only: what the view changes (an assignee, an audit row) goes through the module that owns it.
 * Late, at risk and on time are told apart in SQL by riskConditions alone, deadlineRisk (server/codes/deadline-risk.ts)
 * restated once.
 */
import {
  and,
  asc,
  count,
  eq,
  gte,
  inArray,
  lte,
  notInArray,
  sql,
  type SQL,
  type SQLWrapper,
} from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cases, jobRoleHolders, jobRoles, tasks, taskStepTicks, users } from '../db/schema/index.ts';
import { type IsoDate } from '../deadlines/index.ts';
import { unclosedCaseStatuses } from '../codes/case-codes.ts';
import { deadlineRisks, type DeadlineRisk as Risk, type RiskWindow } from '../codes/deadline-risk.ts';

/**
 * deadlineRisk (server/codes/deadline-risk.ts) in SQL, the one place it is restated: for each risk, the condition a
 * due-date column meets on the window `w` (late before `today`, at risk from `today` up to `riskUntil`, on time
 * after). Plain ranges on the column, so an index on it serves the filter. Every query here that filters or counts
 * by risk takes its condition from this function; tests/db/deadline-risk-sql.test.ts proves the two agree around
 * the bounds.
 */
export function riskConditions(dueDate: SQLWrapper, w: RiskWindow): Record<Risk, SQL> {
  return {
    late: sql`${dueDate} < ${w.today}`,
    at_risk: sql`(${dueDate} >= ${w.today} and ${dueDate} <= ${w.riskUntil})`,
    on_time: sql`${dueDate} > ${w.riskUntil}`,
  };
}

/** `count(*)` of the rows of each risk (deadlineRisks), by their due-date column. */
function countsByRisk(dueDate: SQLWrapper, w: RiskWindow) {
  const when = riskConditions(dueDate, w);
  return Object.fromEntries(
    deadlineRisks.map((r) => [r, sql<number>`count(*) filter (where ${when[r]})`.mapWith(Number)]),
  ) as Record<Risk, SQL<number>>;
}

function unclosedCasesOf(tenantId: string) {
  return and(eq(cases.tenantId, tenantId), inArray(cases.status, [...unclosedCaseStatuses]));
}

/**
 * One page of a tenant's cases not closed yet (unclosedCaseStatuses), the earliest due date first, optionally only
 * those of one risk.
 */
export function unclosedCasesPage(
  db: DbOrTx,
  tenantId: string,
  w: RiskWindow,
  risk: Risk | undefined,
  page: { offset: number; limit: number },
) {
  const riskWhere = risk ? riskConditions(cases.dueDate, w)[risk] : undefined;
  return (
    db
      .select({
        id: cases.id,
        number: cases.number,
        status: cases.status,
        category: cases.category,
        channel: cases.channel,
        subject: cases.subject,
        contactName: cases.contactName,
        registeredOn: cases.registeredOn,
        dueDate: cases.dueDate,
        extended: sql<boolean>`${cases.extendedAt} is not null`,
      })
      .from(cases)
      .where(and(unclosedCasesOf(tenantId), riskWhere))
      // At risk first: the earliest due date leads (late cases have the earliest), then the oldest registration.
      .orderBy(asc(cases.dueDate), asc(cases.registeredOn), asc(cases.number))
      .offset(page.offset)
      .limit(page.limit)
  );
}

/** How many cases a tenant has not closed yet, and how many of them have each risk. */
export async function unclosedCaseCounts(db: DbOrTx, tenantId: string, w: RiskWindow) {
  const byRisk = countsByRisk(cases.dueDate, w);
  const [row] = await db
    .select({ total: count(), ...byRisk })
    .from(cases)
    .where(unclosedCasesOf(tenantId));
  return {
    total: row?.total ?? 0,
    byRisk: Object.fromEntries(deadlineRisks.map((r) => [r, row?.[r] ?? 0])) as Record<Risk, number>,
  };
}

/** The tasks of these cases (open and completed; deleted ones left out) with their holder's name. */
export function tasksOfCases(db: DbOrTx, tenantId: string, caseIds: string[]) {
  if (!caseIds.length) return Promise.resolve([]);
  return db
    .select({
      id: tasks.id,
      caseId: tasks.caseId,
      name: tasks.name,
      taskDefinitionKey: tasks.taskDefinitionKey,
      state: tasks.state,
      assignee: tasks.assignee,
      assigneeName: users.name,
      candidateGroups: tasks.candidateGroups,
    })
    .from(tasks)
    .leftJoin(users, sql`${users.id}::text = ${tasks.assignee}`)
    .where(
      and(eq(tasks.tenantId, tenantId), inArray(tasks.caseId, caseIds), notInArray(tasks.state, ['deleted'])),
    );
}

/** The instruction steps ticked on the tasks of these cases. */
export function stepTicksOfCases(db: DbOrTx, tenantId: string, caseIds: string[]) {
  if (!caseIds.length) return Promise.resolve([]);
  return db
    .select({ taskId: taskStepTicks.taskId, done: taskStepTicks.done })
    .from(taskStepTicks)
    .where(and(eq(taskStepTicks.tenantId, tenantId), inArray(taskStepTicks.caseId, caseIds)));
}

/**
 * Open tasks counted per holder and per set of job roles (few distinct sets: split per role by the caller, no
 * unnest over every open task), with how many are overdue and at risk by their case's due date.
 */
export function openTaskLoad(db: DbOrTx, tenantId: string, w: RiskWindow) {
  const open = and(eq(tasks.tenantId, tenantId), eq(tasks.state, 'open'));
  const { late: overdue, at_risk: atRisk } = countsByRisk(tasks.caseDueDate, w);
  return Promise.all([
    db
      .select({ userId: tasks.assignee, open: count(), overdue, atRisk })
      .from(tasks)
      .where(and(open, sql`${tasks.assignee} is not null`))
      .groupBy(tasks.assignee),
    db
      .select({
        groups: tasks.candidateGroups,
        open: count(),
        unassigned: sql<number>`count(*) filter (where ${tasks.assignee} is null)`.mapWith(Number),
        overdue,
        atRisk,
      })
      .from(tasks)
      .where(open)
      .groupBy(tasks.candidateGroups),
  ]);
}

/** The tenant's active staff, its job roles and who holds each. */
export function staffAndRoles(db: DbOrTx, tenantId: string) {
  return Promise.all([
    db
      .select({ id: users.id, name: users.name, roles: users.roles })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.active, true)))
      .orderBy(asc(users.name)),
    db
      .select({ code: jobRoles.code, name: jobRoles.name })
      .from(jobRoles)
      .where(eq(jobRoles.tenantId, tenantId))
      .orderBy(asc(jobRoles.code)),
    db
      .select({ userId: jobRoleHolders.userId, code: jobRoleHolders.jobRoleCode })
      .from(jobRoleHolders)
      .where(eq(jobRoleHolders.tenantId, tenantId)),
  ]);
}

export async function staffMember(db: DbOrTx, tenantId: string, userId: string) {
  const [row] = await db
    .select({ id: users.id, name: users.name, active: users.active })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
  return row ?? null;
}

/** Which of `roles` the user holds. */
export function rolesHeld(db: DbOrTx, tenantId: string, userId: string, roles: string[]) {
  return db
    .select({ code: jobRoleHolders.jobRoleCode })
    .from(jobRoleHolders)
    .where(
      and(
        eq(jobRoleHolders.tenantId, tenantId),
        eq(jobRoleHolders.userId, userId),
        inArray(jobRoleHolders.jobRoleCode, roles),
      ),
    );
}

/** The case a task belongs to, from the read model. */
export async function caseOfTask(db: DbOrTx, tenantId: string, taskId: string) {
  const [row] = await db
    .select({ caseId: tasks.caseId, caseNumber: tasks.caseNumber })
    .from(tasks)
    .where(and(eq(tasks.tenantId, tenantId), eq(tasks.id, taskId)));
  return row ?? null;
}

/**
 * Complaints registered per category and per channel in [from, to] (registration dates). Annulled registrations
 * and cases found to be GDPR requests (filed as kind gdpr_request: never complaints, not in ANRE counts) are left out.
 */
export function registrationsByCategoryAndChannel(db: DbOrTx, tenantId: string, from: IsoDate, to: IsoDate) {
  const where = and(
    eq(cases.tenantId, tenantId),
    gte(cases.registeredOn, from),
    lte(cases.registeredOn, to),
    sql`${cases.status} <> 'annulled'`,
    sql`${cases.kind} <> 'gdpr_request'`,
  );
  return Promise.all([
    db.select({ key: cases.category, n: count() }).from(cases).where(where).groupBy(cases.category),
    db.select({ key: cases.channel, n: count() }).from(cases).where(where).groupBy(cases.channel),
  ]);
}
