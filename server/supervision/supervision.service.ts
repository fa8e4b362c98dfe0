import { appendAudit } from '../audit/index.ts';
import type { Principal } from '../auth/index.ts';
import { addCaseEvent } from '../cases/index.ts';
import { channels, complaintCategories } from '../codes/case-codes.ts';
import type { Db } from '../db/client.ts';
import type { IsoDate } from '../deadlines/index.ts';
import type { EngineClient } from '../engine/client.ts';
import { DomainError } from '../errors.ts';
import { type Instruction } from '../instructions/index.ts';
import { noteTaskAssignee } from '../task-read-model/index.ts';
import { createIncidentsView } from './incidents.ts';
import { createUnclosedCasesView, daysBetween } from './unclosed-cases.ts';
import { caseOfTask, registrationsByCategoryAndChannel, rolesHeld, staffMember } from './supervision.repo.ts';
import { createWorkloadView } from './workload.ts';

export type { DeadlineRisk as Risk } from '../codes/deadline-risk.ts';

/**
 * The supervisor's view: every case not closed yet with its degree of execution and time left (late and at risk
 * first, unclosed-cases.ts), workload per officer and per job role (from the inbox read model, never the engine's
 * task query, workload.ts), incidents of failed worker jobs with a retry (incidents.ts), and here reassigning a
 * task (through the engine) and counts per category and channel. Every query is in supervision.repo.ts.
 */
export function createSupervisionService(deps: {
  db: Db;
  engine: EngineClient;
  instructions: Map<string, Instruction>;
}) {
  const { db, engine } = deps;

  /** Gives an open task to another officer who holds one of its job roles (through the engine), audited. */
  async function reassign(p: Principal, taskId: string, userId: string) {
    const task = await engine.getTask(taskId);
    if (!task || task.tenantId !== p.tenantId) throw new DomainError('TASK_NOT_FOUND');
    const [groups, target] = await Promise.all([
      engine.getCandidateGroups(taskId),
      staffMember(db, p.tenantId, userId),
    ]);
    if (!target) throw new DomainError('USER_NOT_FOUND');
    if (!target.active) throw new DomainError('USER_INACTIVE');
    if (groups.length) {
      const held = await rolesHeld(db, p.tenantId, userId, groups);
      if (held.length === 0) throw new DomainError('REASSIGN_ROLE_MISSING', { groups });
    }
    const previous = task.assignee;
    await engine.setAssignee(taskId, userId);
    await noteTaskAssignee(db, p.tenantId, taskId, userId);
    const row = await caseOfTask(db, p.tenantId, taskId);
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

  /**
   * Complaints registered per category and per channel in [from, to] (registration dates, Europe/Bucharest). GDPR
   * requests have their own register (data_subject_requests) and are never counted here.
   */
  async function stats(p: Principal, from: IsoDate, to: IsoDate) {
    if (from > to) throw new DomainError('PERIOD_INVALID');
    if (daysBetween(from, to) > 366) throw new DomainError('PERIOD_TOO_LONG');
    const [byCategory, byChannel] = await registrationsByCategoryAndChannel(db, p.tenantId, from, to);
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

  return {
    ...createUnclosedCasesView(deps),
    ...createWorkloadView(deps),
    reassign,
    ...createIncidentsView(deps),
    stats,
  };
}

export type SupervisionService = ReturnType<typeof createSupervisionService>;
