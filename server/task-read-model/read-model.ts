import type { DbOrTx } from '../db/client.ts';
import { anonymiseTasksOfCase } from './retention.repo.ts';
import { markTaskCompleted, refreshCaseTasks, setTaskAssignee } from './task-events.repo.ts';

/*
 * What other modules tell the inbox read model between two engine events, so the inbox shows a change at once:
 * a claim or a hand-over (the assignee), a completion, a case whose due date or category moved. The engine's
 * events (task-event-consumer.ts) stay the source; these only keep the rows current until the next one.
 */

/** The task's holder changed (claim, hand-over, unclaim: null). */
export function noteTaskAssignee(db: DbOrTx, tenantId: string, taskId: string, assignee: string | null) {
  return setTaskAssignee(db, tenantId, taskId, assignee);
}

/** The task was completed (the engine's `completed` event follows). */
export function noteTaskCompleted(db: DbOrTx, tenantId: string, taskId: string) {
  return markTaskCompleted(db, tenantId, taskId);
}

/** The case's open tasks show its current due date and category (after an extension or a reclassification). */
export function refreshTasksOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  return refreshCaseTasks(db, tenantId, caseId);
}

/** Retention and erasure: the inbox rows of the case lose the person's name, subject and place. */
export function anonymiseInboxRowsOfCase(db: DbOrTx, tenantId: string, caseId: string, removed: string) {
  return anonymiseTasksOfCase(db, tenantId, caseId, removed);
}
