import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { taskStepTicks } from '../db/schema/index.ts';

/** The steps of a task's work instruction the officer ticked as done. */
export async function doneSteps(db: DbOrTx, taskId: string): Promise<number[]> {
  const rows = await db
    .select({ stepIndex: taskStepTicks.stepIndex })
    .from(taskStepTicks)
    .where(and(eq(taskStepTicks.taskId, taskId), eq(taskStepTicks.done, true)));
  return rows.map((r) => r.stepIndex);
}

export async function upsertStepTick(db: DbOrTx, tick: Omit<typeof taskStepTicks.$inferInsert, 'at'>) {
  await db
    .insert(taskStepTicks)
    .values(tick)
    .onConflictDoUpdate({
      target: [taskStepTicks.taskId, taskStepTicks.stepIndex],
      set: { done: tick.done, actorId: tick.actorId, at: new Date() },
    });
}
