import type { Db, DbOrTx } from '../db/client.ts';
import type { TaskCompletion } from '../db/schema/index.ts';
import { EngineError, EngineUnavailableError, type EngineClient, type Variables } from '../engine/client.ts';
import { getCaseById } from '../cases/index.ts';
import { noteTaskCompleted } from '../task-read-model/index.ts';
import {
  COMPLETION_LEASE_SECONDS,
  getCompletion,
  insertIntent,
  latestCompletionOfCase,
  markApplied,
  markDeferred,
  markEngineCompleted,
  markOutcomeUnknown,
  type CompletionIntent,
} from './task-completions.repo.ts';

export { COMPLETION_LEASE_SECONDS, getCompletion, latestCompletionOfCase, markEngineCompleted };

/**
 * A task completion is recorded as an intent (`task_completions`, keyed on the engine task id) in the transaction
 * that writes what it changes in our database; the engine completion follows, then the case's timers move when
 * the completion recomputed the due date. Every step is idempotent, so the API, a double submit and the background
 * dispatcher (server/outbox/task-completions.ts) can all call `applyCompletion` and the effects happen once.
 */

/** The engine never got the request, or its answer was lost: the completion may or may not have happened. */
export function outcomeUnknown(err: unknown): boolean {
  if (err instanceof EngineUnavailableError) return true;
  if (!(err instanceof EngineError)) return false;
  if (err.status === 0) return true; // transport: timeout, reset
  return err.status === 502 || err.status === 503 || err.status === 504;
}

/** The task is no longer there: completed (by our own earlier attempt: the intent is ours) or its scope ended. */
export function taskGone(err: unknown): boolean {
  return (
    err instanceof EngineError &&
    (err.status === 404 ||
      (err.status >= 400 &&
        /Cannot find task|task is null|NullValue/i.test(`${err.engineType} ${err.message}`)))
  );
}

/**
 * Records the intent in the caller's transaction, held by this request for a lease (a dispatcher takes it over only
 * if the request dies before the end). Null: the task has an intent already (a double submit, a retry).
 */
export function recordCompletionIntent(tx: DbOrTx, intent: CompletionIntent): Promise<number | null> {
  return insertIntent(tx, intent);
}

/** The engine's answer was lost: the intent commits and the dispatcher finds out and applies it once, soon. */
export function completionOutcomeUnknown(tx: DbOrTx, intentId: number, err: unknown): Promise<void> {
  return markOutcomeUnknown(tx, intentId, err);
}

/**
 * Brings one intent to `applied`: the engine completion (a task already gone counts as done: the intent proves the
 * completion was ours to make), the timer moves, the inbox row. Returns false when it must be retried later.
 */
export async function applyCompletion(db: Db, engine: EngineClient, row: TaskCompletion): Promise<boolean> {
  if (row.status === 'applied') return true;
  try {
    if (!row.engineCompletedAt) {
      try {
        await engine.complete(row.taskId, row.variables as Variables);
      } catch (err) {
        if (!taskGone(err)) throw err;
      }
      await markEngineCompleted(db, row.id);
    }
    if (row.timerMoves?.length) {
      const c = await getCaseById(db, row.tenantId, row.caseId);
      const instances = c
        ? await engine.findProcessInstances({ businessKey: c.number, tenantId: row.tenantId })
        : [];
      const ids = [...new Set([row.processInstanceId, ...instances.map((i) => i.id)])];
      await engine.moveTimersDueAt(ids, row.timerMoves);
    }
  } catch (err) {
    await markDeferred(db, row, err);
    return false;
  }
  await db.transaction(async (tx) => {
    await markApplied(tx, row.id);
    await noteTaskCompleted(tx, row.tenantId, row.taskId);
  });
  return true;
}
