import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { taskCompletions, type TaskCompletion } from '../db/schema/index.ts';
import type { EngineClient } from '../engine/client.ts';
import { runPeriodically } from '../periodic.ts';
import { applyCompletion } from '../tasks/index.ts';
import type { Logger } from './process-starts.ts';
import { withAllTenants, withTenant } from '../db/tenant-scope.ts';

/** How long one dispatcher holds a pending completion (longer than the engine's HTTP timeout). */
export const COMPLETION_LEASE_SECONDS = 60;

/**
 * Task completions recorded while the engine was away (or whose answer was lost), applied once it is back: the
 * engine completion, the timer moves and the inbox row (server/tasks/task-completion.ts). Leased rows (SKIP
 * LOCKED), so several replicas never work on the same one at once; every step is idempotent anyway.
 */
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

export function startTaskCompletionDispatcher(
  db: Db,
  engine: EngineClient,
  log: Logger,
  opts: { intervalMs?: number; batch?: number } = {},
): { stop(): Promise<void>; drain(): Promise<number> } {
  const batch = opts.batch ?? 20;
  async function drain(): Promise<number> {
    let applied = 0;
    for (;;) {
      // Leasing looks at every tenant's completions; each one is then applied in its tenant (tenant-scope.ts).
      const rows = await withAllTenants('task-completion outbox: leases due rows', () =>
        leaseDueCompletions(db, batch),
      );
      if (rows.length === 0) return applied;
      const results = await Promise.all(
        rows.map((r) => withTenant(r.tenantId, () => applyCompletion(db, engine, r))),
      );
      const ok = results.filter(Boolean).length;
      applied += ok;
      if (ok < rows.length)
        log.warn({ pending: rows.length - ok }, 'task completions not yet applied; will retry');
      if (ok === 0) return applied; // the engine is down: wait for the next tick
    }
  }
  const loop = runPeriodically(opts.intervalMs ?? 1000, () =>
    drain().catch((err: unknown) => {
      log.error({ err: (err as Error).message }, 'task completion dispatcher failed');
      return 0;
    }),
  );
  return { stop: loop.stop, drain };
}
