import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { cases, taskCompletions, type TaskCompletion } from '../db/schema/index.ts';
import { EngineError, EngineUnavailableError, type EngineClient, type Variables } from '../engine/client.ts';
import { markTaskCompleted } from '../task-read-model/task-events.repo.ts';

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

export function getCompletion(db: DbOrTx, tenantId: string, taskId: string) {
  return db
    .select()
    .from(taskCompletions)
    .where(and(eq(taskCompletions.tenantId, tenantId), eq(taskCompletions.taskId, taskId)))
    .limit(1)
    .then((r) => r[0] ?? null);
}

export async function markEngineCompleted(db: DbOrTx, id: number) {
  await db
    .update(taskCompletions)
    .set({ engineCompletedAt: sql`coalesce(${taskCompletions.engineCompletedAt}, now())` })
    .where(eq(taskCompletions.id, id));
}

async function deferred(db: DbOrTx, row: TaskCompletion, err: unknown) {
  const backoff = Math.min(2 ** Math.min(row.attempts + 1, 6), 60);
  await db
    .update(taskCompletions)
    .set({
      attempts: sql`${taskCompletions.attempts} + 1`,
      lastError: (err as Error).message.slice(0, 500),
      lockedUntil: sql`now() + make_interval(secs => ${backoff})`,
    })
    .where(eq(taskCompletions.id, row.id));
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
      const [c] = await db
        .select({ number: cases.number })
        .from(cases)
        .where(eq(cases.id, row.caseId))
        .limit(1);
      const instances = c
        ? await engine.findProcessInstances({ businessKey: c.number, tenantId: row.tenantId })
        : [];
      const ids = [...new Set([row.processInstanceId, ...instances.map((i) => i.id)])];
      await engine.moveTimersDueAt(ids, row.timerMoves);
    }
  } catch (err) {
    await deferred(db, row, err);
    return false;
  }
  await db.transaction(async (tx) => {
    await tx
      .update(taskCompletions)
      .set({ status: 'applied', appliedAt: new Date(), lastError: null })
      .where(eq(taskCompletions.id, row.id));
    await markTaskCompleted(tx, row.tenantId, row.taskId);
  });
  return true;
}
