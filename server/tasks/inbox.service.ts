import { appendAudit } from '../audit/index.ts';
import { type Principal } from '../auth/index.ts';
import type { Db } from '../db/client.ts';
import type { EngineClient } from '../engine/client.ts';
import { DomainError } from '../errors.ts';
import { noteTaskAssignee } from '../task-read-model/index.ts';
import { createCaseTimeline } from './inbox-case-timeline.ts';
import { canSeeAll, createInboxList } from './inbox-list.ts';
import { createInboxReceived } from './inbox-received.ts';
import {
  addComment,
  deleteSavedFilter,
  holdersOfRoles,
  listComments,
  listSavedFilters,
  saveFilter,
} from './inbox.repo.ts';

export { canSeeAll, type InboxQuery } from './inbox-list.ts';

/**
 * The officer's inbox on the task read model (never the engine's task query): the list (inbox-list.ts), what came
 * in for a case (inbox-received.ts), the case timeline (inbox-case-timeline.ts), and here saved filters,
 * delegating a task and comments.
 */
export function createInboxService(deps: { db: Db; engine: EngineClient }) {
  const { db, engine } = deps;

  async function savedFilters(p: Principal) {
    return listSavedFilters(db, p.tenantId, p.userId);
  }

  async function saveSavedFilter(p: Principal, name: string, filters: Record<string, string>) {
    const trimmed = name.trim();
    if (trimmed.length < 2) throw new DomainError('INBOX_FILTER_NAME_INVALID');
    return saveFilter(db, { tenantId: p.tenantId, userId: p.userId, name: trimmed, filters });
  }

  async function removeSavedFilter(p: Principal, id: string) {
    if (!(await deleteSavedFilter(db, p.tenantId, p.userId, id)))
      throw new DomainError('INBOX_FILTER_NOT_FOUND');
  }

  /** Users holding one of the task's roles, to whom it may be delegated. */
  async function delegates(p: Principal, groups: string[]) {
    return (await holdersOfRoles(db, p.tenantId, groups)).filter((u) => u.id !== p.userId);
  }

  /** Hands the task to a colleague holding one of its roles: the engine first, then the read model at once. */
  async function delegate(
    p: Principal,
    task: { id: string; assignee: string | null; taskDefinitionKey: string },
    groups: string[],
    caseId: string | null,
    toUserId: string,
  ) {
    if (task.assignee !== p.userId && !canSeeAll(p)) throw new DomainError('TASK_NOT_ASSIGNED_TO_YOU');
    const holders = await holdersOfRoles(db, p.tenantId, groups);
    const target = holders.find((h) => h.id === toUserId);
    if (!target) throw new DomainError('TASK_DELEGATE_NOT_ELIGIBLE');
    await engine.setAssignee(task.id, toUserId);
    await db.transaction(async (tx) => {
      await noteTaskAssignee(tx, p.tenantId, task.id, toUserId);
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'task.delegated',
        entityType: 'case',
        entityId: caseId ?? task.id,
        details: { taskId: task.id, task: task.taskDefinitionKey, from: task.assignee, to: toUserId },
      });
    });
    return { id: task.id, assignee: toUserId, assigneeName: target.name };
  }

  async function comments(p: Principal, caseId: string) {
    const rows = await listComments(db, p.tenantId, caseId);
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  }

  async function comment(p: Principal, caseId: string, taskId: string, body: string) {
    const text = body.trim();
    if (text.length < 2) throw new DomainError('COMMENT_INVALID');
    return db.transaction(async (tx) => {
      const row = await addComment(tx, {
        tenantId: p.tenantId,
        caseId,
        taskId,
        authorId: p.userId,
        body: text,
      });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'case.commented',
        entityType: 'case',
        entityId: caseId,
        details: { taskId, commentId: row.id },
      });
      return { id: row.id, body: text, taskId, authorName: p.name, createdAt: row.createdAt.toISOString() };
    });
  }

  return {
    ...createInboxList(deps),
    ...createInboxReceived(deps),
    savedFilters,
    saveSavedFilter,
    removeSavedFilter,
    delegates,
    delegate,
    comments,
    comment,
    ...createCaseTimeline(deps),
  };
}

export type InboxService = ReturnType<typeof createInboxService>;
