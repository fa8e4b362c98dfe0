import type { Db } from '../db/client.ts';
import type { EngineClient } from '../engine/client.ts';
import { parseProcessGraphs, remainingUserTasks, type ProcessGraph } from '../engine/bpmn-graph.ts';
import { readBaselineProcesses } from '../engine/deploy-processes.ts';
import { DomainError } from '../errors.ts';
import type { Principal } from '../auth/index.ts';
import { holdersOfRoles } from '../org-chart/index.ts';
import {
  businessClock,
  endOfBusinessDay,
  isWorkingDay,
  addDays,
  nonWorkingDaysOf,
} from '../deadlines/index.ts';
import type { Instruction } from '../instructions/index.ts';
import { getCaseByNumber, stepTicksOfCase } from './cases.repo.ts';

/**
 * The degree of execution of a case: its open tasks with their holders and the instruction steps ticked, the
 * user tasks that may still come on its path (every branch), and the time left to the legal due date.
 */
export function createCaseProgressService(deps: {
  db: Db;
  engine: EngineClient;
  instructions: Map<string, Instruction>;
}) {
  const { db, engine, instructions } = deps;
  const byDefinition = new Map<string, Promise<ProcessGraph | undefined>>();
  let baseline: Promise<Map<string, ProcessGraph>> | undefined;

  function graphOfDefinition(definitionId: string) {
    let g = byDefinition.get(definitionId);
    if (!g) {
      g = engine.getBpmnXml(definitionId).then(async (xml) => (await parseProcessGraphs(xml))[0]);
      g.catch(() => byDefinition.delete(definitionId));
      byDefinition.set(definitionId, g);
    }
    return g;
  }

  let routing: Promise<Map<string, { process: string; role: string | undefined }>> | undefined;
  /** category -> verification process, from the baseline routing table (what `${verificationProcess}` becomes). */
  function routingTable() {
    routing ??= readBaselineProcesses().then((files) => {
      const dmn = files.find((f) => f.name === 'complaint-routing.dmn')?.content ?? '';
      const m = new Map<string, { process: string; role: string | undefined }>();
      // Our own baseline file, read by splitting (no lazy pattern rescanning the text for each unclosed rule).
      for (const chunk of dmn.split('<rule ').slice(1)) {
        const end = chunk.indexOf('</rule>');
        if (end < 0) continue;
        const rule = chunk.slice(0, end);
        const category = /<inputEntry[^>]*><text>"([^"]+)"/.exec(rule)?.[1];
        const [process, role] = [...rule.matchAll(/<outputEntry[^>]*><text>"([^"]+)"/g)].map((x) => x[1]);
        if (category && process) m.set(category, { process, role });
      }
      return m;
    });
    return routing;
  }

  function baselineGraphs() {
    baseline ??= readBaselineProcesses().then(async (files) => {
      const m = new Map<string, ProcessGraph>();
      for (const f of files.filter((x) => x.name.endsWith('.bpmn')))
        for (const g of await parseProcessGraphs(f.content)) m.set(g.processId, g);
      return m;
    });
    return baseline;
  }

  async function progress(p: Principal, number: string) {
    const row = await getCaseByNumber(db, p.tenantId, number);
    if (!row) throw new DomainError('CASE_NOT_FOUND', { number });
    const c = row.case;
    const [instances, tasks, ticks, extra, called] = await Promise.all([
      engine.findProcessInstances({ businessKey: number, tenantId: p.tenantId }),
      engine.queryTasks(
        { tenantIdIn: [p.tenantId], processInstanceBusinessKey: number },
        { firstResult: 0, maxResults: 100 },
      ),
      stepTicksOfCase(db, c.id),
      nonWorkingDaysOf(db, p.tenantId),
      baselineGraphs(),
    ]);
    const routed = (await routingTable()).get(c.category);
    const verificationProcess = routed?.process;
    const graphOfKey = (key: string) =>
      called.get(key === '${verificationProcess}' && verificationProcess ? verificationProcess : key);

    // Open tasks, who holds them, and the steps of their instruction ticked so far.
    const groupsOf = new Map(
      await Promise.all(tasks.map(async (t) => [t.id, await engine.getCandidateGroups(t.id)] as const)),
    );
    const allGroups = [...new Set([...groupsOf.values()].flat())];
    const holders = await holdersOfRoles(db, p.tenantId, allGroups);
    const names = new Map(holders.map((h) => [h.id, h.name]));
    const openTasks = await Promise.all(
      tasks.map(async (t) => {
        const graph = await graphOfDefinition(t.processDefinitionId);
        const node = graph?.nodes.get(t.taskDefinitionKey);
        const instruction = node?.instructionId ? instructions.get(node.instructionId) : undefined;
        const groups = groupsOf.get(t.id) ?? [];
        const done = ticks.filter((k) => k.taskId === t.id && k.done).map((k) => k.stepIndex);
        return {
          id: t.id,
          name: t.name,
          instructionId: node?.instructionId ?? null,
          candidateGroups: groups,
          assignee: t.assignee ? { id: t.assignee, name: names.get(t.assignee) ?? null } : null,
          holders: holders.filter((h) => groups.includes(h.code)).map((h) => ({ id: h.id, name: h.name })),
          due: t.due,
          steps: { total: instruction?.steps.length ?? 0, done: done.sort((a, b) => a - b) },
        };
      }),
    );

    // What may still come: from where each running instance is, along every branch (sub-processes first).
    const seen = new Set<string>();
    const remaining: Array<{ name: string; instructionId: string | null; candidateGroups: string[] }> = [];
    const ordered = [...instances].sort(
      (a, b) => Number(a.id === c.processInstanceId) - Number(b.id === c.processInstanceId),
    );
    for (const inst of ordered) {
      const graph = await graphOfDefinition(inst.definitionId);
      if (!graph) continue;
      const active = await engine.activeActivityIds(inst.id).catch(() => []);
      for (const n of remainingUserTasks(graph, active, graphOfKey)) {
        const key = `${n.id}:${n.instructionId}:${n.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        // The routed verification's first task goes to the routing table's job role (`${verificationRole}`).
        const groups = n.candidateGroups.map((g) =>
          g === '${verificationRole}' && routed?.role ? routed.role : g,
        );
        remaining.push({ name: n.name, instructionId: n.instructionId, candidateGroups: groups });
      }
    }

    // Time left to the end of the due day (Europe/Bucharest), in working and calendar days.
    const today = businessClock(new Date()).date;
    let workingDaysLeft = 0;
    let calendarDaysLeft = 0;
    for (let d = addDays(today, 1); d <= c.dueDate; d = addDays(d, 1)) {
      calendarDaysLeft++;
      if (isWorkingDay(d, { extraNonWorkingDays: extra })) workingDaysLeft++;
    }
    const dueAt = endOfBusinessDay(c.dueDate);
    const stepsTotal = openTasks.reduce((n, t) => n + t.steps.total, 0);
    const stepsDone = openTasks.reduce((n, t) => n + t.steps.done.length, 0);
    return {
      number: c.number,
      status: c.status,
      dueDate: c.dueDate,
      dueAt,
      timeLeft: {
        workingDays: workingDaysLeft,
        calendarDays: calendarDaysLeft,
        hours: Math.round((new Date(dueAt).getTime() - Date.now()) / 3_600_000),
        overdue: Date.now() > new Date(dueAt).getTime() && !c.answerSentAt,
      },
      openTasks,
      remainingTasks: remaining,
      openSteps: { total: stepsTotal, done: stepsDone },
    };
  }

  return { progress };
}

export type CaseProgressService = ReturnType<typeof createCaseProgressService>;
