import type { Db } from '../db/client.ts';
import type { EngineClient } from '../engine/client.ts';
import { withAllTenants, withTenant } from '../db/tenant-scope.ts';
import type { Logger } from '../logger.ts';
import { runPeriodically } from '../periodic.ts';
import { applyCompletion } from './task-completion.ts';
import { leaseDueCompletions } from './task-completions.repo.ts';

/**
 * Task completions recorded while the engine was away (or whose answer was lost), applied once it is back: the
 * engine completion, the timer moves and the inbox row (task-completion.ts). Leased rows (SKIP LOCKED), so several
 * replicas never work on the same one at once; every step is idempotent anyway.
 */
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
