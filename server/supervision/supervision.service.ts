import { and, asc, count, eq, gte, inArray, lt, lte, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import {
  cases,
  channels,
  complaintCategories,
  jobRoleHolders,
  jobRoles,
  tasks,
  taskStepTicks,
  users,
} from '../db/schema/index.ts';
import { type EngineClient, EngineError } from '../engine/client.ts';
import { parseBpmn } from '../engine/bpmn-metadata.ts';
import { readBaselineProcesses } from '../engine/deploy-processes.ts';
import {
  externalTaskError,
  getIncident,
  incidentDetails,
  listIncidents,
  retryIncident,
  runningInstances,
} from '../engine/supervision.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/index.ts';
import { addCaseEvent } from '../cases/index.ts';
import type { Principal } from '../auth/auth.service.ts';
import { addDays, businessClock, isWorkingDay, nextWorkingDay, type IsoDate } from '../deadlines/calendar.ts';
import { getTenant } from '../tenants/index.ts';
import { nonWorkingDaysOf } from '../deadlines/index.ts';
import type { Instruction } from '../instructions/instructions.ts';
import { setTaskAssignee } from '../task-read-model/task-events.repo.ts';

/** Cases still being handled (an answer sent is not yet closed: the case may still need postal proof, compensation). */
const OPEN_STATUSES = ['registered', 'in_progress', 'answer_sent'] as const;

export type Risk = 'late' | 'at_risk' | 'on_time';

/** Working days from today (exclusive) to the due date (inclusive); negative days are not counted. */
function workingDaysLeft(today: IsoDate, due: IsoDate, extra: ReadonlySet<IsoDate>): number {
  let n = 0;
  for (let d = addDays(today, 1); d <= due; d = addDays(d, 1))
    if (isWorkingDay(d, { extraNonWorkingDays: extra })) n++;
  return n;
}

function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * The supervisor's view: every open case with its degree of execution and time left (late and at risk first),
 * workload per officer and per job role (from the inbox read model, never the engine's task query), reassigning a
 * task (through the engine), incidents of failed worker jobs with a retry, and counts per category and channel.
 */
export function createSupervisionService(deps: {
  db: Db;
  engine: EngineClient;
  instructions: Map<string, Instruction>;
}) {
  const { db, engine, instructions } = deps;

  let stepTotals: Promise<Map<string, { instructionId: string; steps: number }>> | undefined;
  /** task definition key -> its instruction and number of steps (from the baseline processes). */
  function stepsOfTaskKeys() {
    stepTotals ??= readBaselineProcesses().then(async (files) => {
      const m = new Map<string, { instructionId: string; steps: number }>();
      for (const f of files.filter((x) => x.name.endsWith('.bpmn')))
        for (const p of await parseBpmn(f.content))
          for (const t of p.userTasks.values())
            if (t.instructionId)
              m.set(t.id, {
                instructionId: t.instructionId,
                steps: instructions.get(t.instructionId)?.steps.length ?? 0,
              });
      return m;
    });
    return stepTotals;
  }

  async function calendarOf(tenantId: string) {
    const [tenant, extra] = await Promise.all([getTenant(db, tenantId), nonWorkingDaysOf(db, tenantId)]);
    if (!tenant) throw new DomainError('NOT_FOUND');
    const today = businessClock(new Date()).date;
    // The last due date still "at risk": the day N working days from today (N = the tenant's warning lead time).
    let riskUntil = today;
    for (let i = 0; i < tenant.warnWorkingDaysBefore; i++)
      riskUntil = nextWorkingDay(riskUntil, { extraNonWorkingDays: extra });
    return { tenant, extra, today, riskUntil };
  }

  async function openCases(p: Principal, page: number, pageSize: number, risk?: Risk) {
    const { extra, today, riskUntil, tenant } = await calendarOf(p.tenantId);
    const base = and(eq(cases.tenantId, p.tenantId), inArray(cases.status, [...OPEN_STATUSES]));
    const riskWhere =
      risk === 'late'
        ? lt(cases.dueDate, today)
        : risk === 'at_risk'
          ? and(gte(cases.dueDate, today), lte(cases.dueDate, riskUntil))
          : risk === 'on_time'
            ? sql`${cases.dueDate} > ${riskUntil}`
            : undefined;
    const [rows, [counts]] = await Promise.all([
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
        .where(and(base, riskWhere))
        // At risk first: the earliest due date leads (late cases have the earliest), then the oldest registration.
        .orderBy(asc(cases.dueDate), asc(cases.registeredOn), asc(cases.number))
        .offset((page - 1) * pageSize)
        .limit(pageSize),
      db
        .select({
          total: count(),
          late: sql<number>`count(*) filter (where ${cases.dueDate} < ${today})`.mapWith(Number),
          atRisk:
            sql<number>`count(*) filter (where ${cases.dueDate} >= ${today} and ${cases.dueDate} <= ${riskUntil})`.mapWith(
              Number,
            ),
        })
        .from(cases)
        .where(base),
    ]);
    const caseIds = rows.map((r) => r.id);
    const [taskRows, ticks, keys] = await Promise.all([
      caseIds.length
        ? db
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
              and(
                eq(tasks.tenantId, p.tenantId),
                inArray(tasks.caseId, caseIds),
                notInArray(tasks.state, ['deleted']),
              ),
            )
        : Promise.resolve([]),
      caseIds.length
        ? db
            .select({ taskId: taskStepTicks.taskId, done: taskStepTicks.done })
            .from(taskStepTicks)
            .where(and(eq(taskStepTicks.tenantId, p.tenantId), inArray(taskStepTicks.caseId, caseIds)))
        : Promise.resolve([]),
      stepsOfTaskKeys(),
    ]);
    const ticked = new Map<string, number>();
    for (const t of ticks) if (t.done) ticked.set(t.taskId, (ticked.get(t.taskId) ?? 0) + 1);
    const items = rows.map((r) => {
      const own = taskRows.filter((t) => t.caseId === r.id);
      const open = own.filter((t) => t.state === 'open');
      const completed = own.filter((t) => t.state === 'completed').length;
      const stepsTotal = open.reduce((n, t) => n + (keys.get(t.taskDefinitionKey)?.steps ?? 0), 0);
      const stepsDone = open.reduce((n, t) => n + (ticked.get(t.id) ?? 0), 0);
      const riskOf: Risk = r.dueDate < today ? 'late' : r.dueDate <= riskUntil ? 'at_risk' : 'on_time';
      return {
        number: r.number,
        status: r.status,
        category: r.category,
        channel: r.channel,
        subject: r.subject,
        contactName: r.contactName,
        registeredOn: r.registeredOn,
        dueDate: r.dueDate,
        extended: r.extended,
        risk: riskOf,
        timeLeft: {
          workingDays: workingDaysLeft(today, r.dueDate, extra),
          calendarDays: daysBetween(today, r.dueDate),
        },
        progress: {
          completedTasks: completed,
          openTasks: open.map((t) => ({
            id: t.id,
            name: t.name,
            instructionId: keys.get(t.taskDefinitionKey)?.instructionId ?? null,
            assignee: t.assignee ? { id: t.assignee, name: t.assigneeName ?? null } : null,
            candidateGroups: t.candidateGroups,
          })),
          steps: { total: stepsTotal, done: Math.min(stepsDone, stepsTotal) },
        },
      };
    });
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'supervision.cases_viewed',
      entityType: 'tenant',
      entityId: p.tenantId,
      details: { cases: rows.map((r) => r.number) },
    });
    return {
      today,
      warnWorkingDaysBefore: tenant.warnWorkingDaysBefore,
      counts: { open: counts?.total ?? 0, late: counts?.late ?? 0, atRisk: counts?.atRisk ?? 0 },
      items,
      total:
        risk === 'late'
          ? (counts?.late ?? 0)
          : risk === 'at_risk'
            ? (counts?.atRisk ?? 0)
            : risk === 'on_time'
              ? (counts?.total ?? 0) - (counts?.late ?? 0) - (counts?.atRisk ?? 0)
              : (counts?.total ?? 0),
      page,
      pageSize,
    };
  }

  /** Open tasks per officer (held) and per job role (waiting in the role's queue or held), from the read model. */
  async function workload(p: Principal) {
    const now = new Date();
    const { riskUntil } = await calendarOf(p.tenantId);
    const open = and(eq(tasks.tenantId, p.tenantId), eq(tasks.state, 'open'));
    const overdue =
      sql<number>`count(*) filter (where ${tasks.caseDueDate} < ${businessClock(now).date})`.mapWith(Number);
    const atRisk =
      sql<number>`count(*) filter (where ${tasks.caseDueDate} >= ${businessClock(now).date} and ${tasks.caseDueDate} <= ${riskUntil})`.mapWith(
        Number,
      );
    const [byOfficer, byGroups, staff, roles, holders] = await Promise.all([
      db
        .select({ userId: tasks.assignee, open: count(), overdue, atRisk })
        .from(tasks)
        .where(and(open, sql`${tasks.assignee} is not null`))
        .groupBy(tasks.assignee),
      // Grouped by the set of roles (few distinct sets), split per role below: no unnest over every open task.
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
      db
        .select({ id: users.id, name: users.name, roles: users.roles })
        .from(users)
        .where(and(eq(users.tenantId, p.tenantId), eq(users.active, true)))
        .orderBy(asc(users.name)),
      db
        .select({ code: jobRoles.code, name: jobRoles.name })
        .from(jobRoles)
        .where(eq(jobRoles.tenantId, p.tenantId))
        .orderBy(asc(jobRoles.code)),
      db
        .select({ userId: jobRoleHolders.userId, code: jobRoleHolders.jobRoleCode })
        .from(jobRoleHolders)
        .where(eq(jobRoleHolders.tenantId, p.tenantId)),
    ]);
    const officerLoad = new Map(byOfficer.map((r) => [r.userId, r]));
    const roleLoad = new Map<string, { open: number; unassigned: number; overdue: number; atRisk: number }>();
    for (const r of byGroups)
      for (const role of new Set(r.groups)) {
        const l = roleLoad.get(role) ?? { open: 0, unassigned: 0, overdue: 0, atRisk: 0 };
        l.open += r.open;
        l.unassigned += r.unassigned;
        l.overdue += r.overdue;
        l.atRisk += r.atRisk;
        roleLoad.set(role, l);
      }
    const officers = staff
      .filter((u) => officerLoad.has(u.id) || holders.some((h) => h.userId === u.id))
      .map((u) => {
        const l = officerLoad.get(u.id);
        return {
          userId: u.id,
          name: u.name,
          jobRoles: holders.filter((h) => h.userId === u.id).map((h) => h.code),
          open: l?.open ?? 0,
          overdue: l?.overdue ?? 0,
          atRisk: l?.atRisk ?? 0,
        };
      })
      .sort((a, b) => b.open - a.open || a.name.localeCompare(b.name, 'ro'));
    const roleRows = roles
      .map((r) => {
        const l = roleLoad.get(r.code);
        return {
          code: r.code,
          name: r.name,
          holders: holders.filter((h) => h.code === r.code).length,
          open: l?.open ?? 0,
          unassigned: l?.unassigned ?? 0,
          overdue: l?.overdue ?? 0,
          atRisk: l?.atRisk ?? 0,
        };
      })
      .filter((r) => r.open > 0 || r.holders > 0)
      .sort((a, b) => b.open - a.open || a.code.localeCompare(b.code));
    return { officers, roles: roleRows };
  }

  /** Gives an open task to another officer who holds one of its job roles (through the engine), audited. */
  async function reassign(p: Principal, taskId: string, userId: string) {
    const task = await engine.getTask(taskId);
    if (!task || task.tenantId !== p.tenantId) throw new DomainError('TASK_NOT_FOUND');
    const [groups, [target]] = await Promise.all([
      engine.getCandidateGroups(taskId),
      db
        .select({ id: users.id, name: users.name, active: users.active })
        .from(users)
        .where(and(eq(users.tenantId, p.tenantId), eq(users.id, userId))),
    ]);
    if (!target) throw new DomainError('USER_NOT_FOUND');
    if (!target.active) throw new DomainError('USER_INACTIVE');
    if (groups.length) {
      const held = await db
        .select({ code: jobRoleHolders.jobRoleCode })
        .from(jobRoleHolders)
        .where(
          and(
            eq(jobRoleHolders.tenantId, p.tenantId),
            eq(jobRoleHolders.userId, userId),
            inArray(jobRoleHolders.jobRoleCode, groups),
          ),
        );
      if (held.length === 0) throw new DomainError('REASSIGN_ROLE_MISSING', { groups });
    }
    const previous = task.assignee;
    await engine.setAssignee(taskId, userId);
    await setTaskAssignee(db, p.tenantId, taskId, userId);
    const [row] = await db
      .select({ caseId: tasks.caseId, caseNumber: tasks.caseNumber })
      .from(tasks)
      .where(and(eq(tasks.tenantId, p.tenantId), eq(tasks.id, taskId)));
    await db.transaction(async (tx) => {
      if (row?.caseId)
        await addCaseEvent(tx, {
          tenantId: p.tenantId,
          caseId: row.caseId,
          type: 'task_reassigned',
          visibility: 'internal',
          message: `Sarcina „${task.name}” a fost repartizată lui ${target.name}.`,
          actorId: p.userId,
        });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'task.reassigned',
        entityType: 'task',
        entityId: taskId,
        details: { from: previous, to: userId, case: row?.caseNumber ?? null },
      });
    });
    return { taskId, name: task.name, assignee: { id: target.id, name: target.name } };
  }

  async function incidents(p: Principal) {
    const list = await listIncidents(engine, p.tenantId);
    const instances = await runningInstances(engine, p.tenantId, [
      ...new Set(list.map((i) => i.rootProcessInstanceId ?? i.processInstanceId)),
    ]).catch(() => []);
    const keys = new Map(instances.map((i) => [i.id, i.businessKey]));
    return Promise.all(
      list.map(async (i) => ({
        id: i.id,
        type: i.incidentType,
        at: i.incidentTimestamp,
        activityId: i.failedActivityId ?? i.activityId,
        message:
          i.incidentMessage ??
          (i.incidentType === 'failedExternalTask' && i.configuration
            ? await externalTaskError(engine, i.configuration).catch(() => null)
            : null),
        details: await incidentDetails(engine, i).catch(() => null),
        caseNumber: keys.get(i.rootProcessInstanceId ?? i.processInstanceId) ?? null,
      })),
    );
  }

  async function retry(p: Principal, incidentId: string) {
    const i = await getIncident(engine, p.tenantId, incidentId);
    if (!i) throw new DomainError('INCIDENT_NOT_FOUND');
    try {
      await retryIncident(engine, i);
    } catch (err) {
      if (err instanceof EngineError && err.status === 404) throw new DomainError('INCIDENT_NOT_FOUND');
      throw err;
    }
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'incident.retried',
      entityType: 'incident',
      entityId: incidentId,
      details: { type: i.incidentType, activityId: i.activityId },
    });
    return { id: incidentId, retried: true };
  }

  /**
   * Complaints registered per category and per channel in [from, to] (registration dates, Europe/Bucharest). GDPR
   * requests have their own register (data_subject_requests) and are never counted here.
   */
  async function stats(p: Principal, from: IsoDate, to: IsoDate) {
    if (from > to) throw new DomainError('PERIOD_INVALID');
    if (daysBetween(from, to) > 366) throw new DomainError('PERIOD_TOO_LONG');
    const where = and(
      eq(cases.tenantId, p.tenantId),
      gte(cases.registeredOn, from),
      lte(cases.registeredOn, to),
      sql`${cases.status} <> 'annulled'`,
      // A case found to be a GDPR request (filed as kind gdpr_request) was never a complaint: not in ANRE counts.
      sql`${cases.kind} <> 'gdpr_request'`,
    );
    const [byCategory, byChannel] = await Promise.all([
      db.select({ key: cases.category, n: count() }).from(cases).where(where).groupBy(cases.category),
      db.select({ key: cases.channel, n: count() }).from(cases).where(where).groupBy(cases.channel),
    ]);
    const cat = new Map(byCategory.map((r) => [r.key, r.n]));
    const ch = new Map(byChannel.map((r) => [r.key, r.n]));
    return {
      from,
      to,
      total: byChannel.reduce((n, r) => n + r.n, 0),
      byCategory: complaintCategories.map((c) => ({ key: c, count: cat.get(c) ?? 0 })),
      byChannel: channels.map((c) => ({ key: c, count: ch.get(c) ?? 0 })),
    };
  }

  return { openCases, workload, reassign, incidents, retry, stats };
}

export type SupervisionService = ReturnType<typeof createSupervisionService>;
