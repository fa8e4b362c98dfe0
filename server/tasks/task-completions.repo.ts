import { and, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { taskCompletions, type TaskCompletion } from '../db/schema/index.ts';

/** How long a request holds its own intent before a dispatcher may take it over (it died before the end). */
export const COMPLETION_LEASE_SECONDS = 60;

export type CompletionIntent = Pick<
  typeof taskCompletions.$inferInsert,
  | 'tenantId'
  | 'taskId'
  | 'caseId'
  | 'actorId'
  | 'processInstanceId'
  | 'taskDefinitionKey'
  | 'variables'
  | 'timerMoves'
>;

/** The intent, held by this request for a lease; null when the task has one already (a double submit, a retry). */
export async function insertIntent(db: DbOrTx, intent: CompletionIntent): Promise<number | null> {
  const [row] = await db
    .insert(taskCompletions)
    .values({ ...intent, lockedUntil: sql`now() + make_interval(secs => ${COMPLETION_LEASE_SECONDS})` })
    .onConflictDoNothing({ target: taskCompletions.taskId })
    .returning({ id: taskCompletions.id });
  return row?.id ?? null;
}

export function getCompletion(db: DbOrTx, tenantId: string, taskId: string): Promise<TaskCompletion | null> {
  return db
    .select()
    .from(taskCompletions)
    .where(and(eq(taskCompletions.tenantId, tenantId), eq(taskCompletions.taskId, taskId)))
    .limit(1)
    .then((r) => r[0] ?? null);
}

/** The latest completion of a task of this kind on the case. */
export async function latestCompletionOfCase(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  taskDefinitionKey: string,
): Promise<TaskCompletion | null> {
  const [row] = await db
    .select()
    .from(taskCompletions)
    .where(
      and(
        eq(taskCompletions.tenantId, tenantId),
        eq(taskCompletions.caseId, caseId),
        eq(taskCompletions.taskDefinitionKey, taskDefinitionKey),
      ),
    )
    .orderBy(desc(taskCompletions.id))
    .limit(1);
  return row ?? null;
}

export async function markEngineCompleted(db: DbOrTx, id: number) {
  await db
    .update(taskCompletions)
    .set({ engineCompletedAt: sql`coalesce(${taskCompletions.engineCompletedAt}, now())` })
    .where(eq(taskCompletions.id, id));
}

/** The engine's answer was lost: the dispatcher looks again in two seconds. */
export async function markOutcomeUnknown(db: DbOrTx, id: number, err: unknown) {
  await db
    .update(taskCompletions)
    .set({ lastError: (err as Error).message.slice(0, 500), lockedUntil: sql`now() + interval '2 seconds'` })
    .where(eq(taskCompletions.id, id));
}

/** A failed attempt: retried after a backoff that doubles up to a minute. */
export async function markDeferred(db: DbOrTx, row: TaskCompletion, err: unknown) {
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

export async function markApplied(db: DbOrTx, id: number) {
  await db
    .update(taskCompletions)
    .set({ status: 'applied', appliedAt: new Date(), lastError: null })
    .where(eq(taskCompletions.id, id));
}

/** Leases up to `batch` pending completions whose lease ran out (SKIP LOCKED: safe with many replicas). */
export async function leaseDueCompletions(db: Db, batch: number): Promise<TaskCompletion[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: taskCompletions.id })
      .from(taskCompletions)
      .where(and(eq(taskCompletions.status, 'pending'), lte(taskCompletions.lockedUntil, sql`now()`)))
      .orderBy(asc(taskCompletions.id))
      .limit(batch)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(taskCompletions)
      .set({ lockedUntil: sql`now() + make_interval(secs => ${COMPLETION_LEASE_SECONDS})` })
      .where(
        inArray(
          taskCompletions.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
}
