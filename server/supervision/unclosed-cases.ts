import { appendAudit } from '../audit/index.ts';
import type { Principal } from '../auth/index.ts';
import { deadlineRisk, type DeadlineRisk as Risk } from '../codes/deadline-risk.ts';
import type { Db } from '../db/client.ts';
import { addDays, isWorkingDay, riskWindowOf, type IsoDate } from '../deadlines/index.ts';
import { parseBpmn } from '../engine/bpmn-metadata.ts';
import { readBaselineProcesses } from '../engine/deploy-processes.ts';
import { type Instruction } from '../instructions/index.ts';
import { unclosedCaseCounts, unclosedCasesPage, stepTicksOfCases, tasksOfCases } from './supervision.repo.ts';

/** Working days from today (exclusive) to the due date (inclusive); negative days are not counted. */
function workingDaysLeft(today: IsoDate, due: IsoDate, extra: ReadonlySet<IsoDate>): number {
  let n = 0;
  for (let d = addDays(today, 1); d <= due; d = addDays(d, 1))
    if (isWorkingDay(d, { extraNonWorkingDays: extra })) n++;
  return n;
}

export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * The supervisor's list of the cases not closed yet (open, or answered and still followed: unclosedCaseStatuses
 * in server/codes; the page's "cazuri deschise"): each with its degree of execution (tasks done, steps ticked on
 * the open ones) and time left, late and at risk first; the view is audited.
 */
export function createUnclosedCasesView(deps: { db: Db; instructions: Map<string, Instruction> }) {
  const { db, instructions } = deps;

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

  async function openCases(p: Principal, page: number, pageSize: number, risk?: Risk) {
    const { extra, today, riskUntil, tenant } = await riskWindowOf(db, p.tenantId);
    const window = { today, riskUntil };
    const [rows, counts] = await Promise.all([
      unclosedCasesPage(db, p.tenantId, window, risk, { offset: (page - 1) * pageSize, limit: pageSize }),
      unclosedCaseCounts(db, p.tenantId, window),
    ]);
    const caseIds = rows.map((r) => r.id);
    const [taskRows, ticks, keys] = await Promise.all([
      tasksOfCases(db, p.tenantId, caseIds),
      stepTicksOfCases(db, p.tenantId, caseIds),
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
      const riskOf = deadlineRisk(r.dueDate, window);
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
      counts: { open: counts.total, late: counts.byRisk.late, atRisk: counts.byRisk.at_risk },
      items,
      total: risk ? counts.byRisk[risk] : counts.total,
      page,
      pageSize,
    };
  }

  return { openCases };
}
