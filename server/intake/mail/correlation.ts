import { MESSAGES } from '../../../processes/topics.ts';
import type { Db } from '../../db/client.ts';
import {
  deferCorrelationUntil,
  finishCorrelation,
  leaseDueCorrelations,
  pendingCorrelation,
} from './inbound.repo.ts';
import type { EngineClient } from '../../engine/client.ts';
import type { Logger } from '../../logger.ts';
import { runPeriodically } from '../../periodic.ts';
import { withAllTenants, withTenant } from '../../db/tenant-scope.ts';

export interface CorrelationDeps {
  db: Db;
  engine: EngineClient;
  log: Logger;
}

/** How long the first, inline attempt owns a fresh row before the retry loop may take it. */
export const INLINE_LEASE_MS = 30_000;
/** Longest wait between two attempts while the engine stays unreachable. */
export const MAX_BACKOFF_MS = 30_000;

export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS);
}

/** When a row written now may first be taken by the retry loop. */
export function inlineLease(): Date {
  return new Date(Date.now() + INLINE_LEASE_MS);
}

/**
 * Correlates the BPMN message an inbound row still waits for (a consumer's reply, an operator's answer). The row
 * was written with `pendingMessage` in the same transaction as the message, so a failure here (engine down) loses
 * nothing: the row keeps it, with a later `nextCorrelationAt`, and the retry loop tries again.
 * Returns true (correlated), false (no process waits for it: the case moved on) or null (failed, will retry).
 */
export async function correlateInbound(deps: CorrelationDeps, inboundId: string): Promise<boolean | null> {
  const row = await pendingCorrelation(deps.db, inboundId);
  if (!row?.pendingMessage) return null;
  if (!row.processInstanceId) {
    // The case was registered while the engine was away and its process has not started yet: correlating now
    // would find no instance and drop the message for good. The process-start outbox starts it; wait for that.
    await deferCorrelation(deps, row.id, row.attempts + 1, 'the case process has not started yet');
    return null;
  }
  const variables: Record<string, string> =
    row.pendingMessage === MESSAGES.consumerAddedInformation
      ? { lastInformationAt: row.arrivedAt.toISOString() }
      : {};
  let correlated: boolean;
  try {
    correlated = await deps.engine.correlateMessage({
      messageName: row.pendingMessage,
      tenantId: row.tenantId,
      businessKey: row.number,
      variables,
      // The case-wide event sub-process notes it and, when the case waits for the consumer's completion (IL-08),
      // that wait ends too: both subscriptions get the message.
      all: row.pendingMessage === MESSAGES.consumerAddedInformation,
    });
  } catch (err) {
    const attempts = row.attempts + 1;
    await deferCorrelation(deps, row.id, attempts, (err as Error).message);
    deps.log.warn(
      { err: (err as Error).message, case: row.number, attempts },
      'message not correlated; will retry',
    );
    return null;
  }
  await finishCorrelation(deps.db, row.id, correlated, row.attempts + 1);
  return correlated;
}

/** Keeps the message pending and schedules the next attempt with backoff. */
async function deferCorrelation(deps: CorrelationDeps, id: string, attempts: number, reason: string) {
  await deferCorrelationUntil(deps.db, id, attempts, reason, new Date(Date.now() + backoffMs(attempts)));
}

/**
 * Takes rows whose correlation is due (a lease, so two intake processes never take the same row) and correlates
 * them. Returns how many rows it took.
 */
export async function retryDueCorrelations(deps: CorrelationDeps, limit = 50): Promise<number> {
  // Leasing looks at every tenant's pending messages; each is then correlated in its tenant (tenant-scope.ts).
  const taken = await withAllTenants('correlation retry: leases pending messages', () =>
    leaseDueCorrelations(deps.db, limit, inlineLease()),
  );
  for (const { id, tenantId } of taken) await withTenant(tenantId, () => correlateInbound(deps, id));
  return taken.length;
}

export interface CorrelationRetry {
  stop(): Promise<void>;
}

/** Retries pending correlations every `intervalMs` (first after one interval) until stopped. */
export function startCorrelationRetry(
  deps: CorrelationDeps,
  opts: { intervalMs?: number } = {},
): CorrelationRetry {
  const intervalMs = opts.intervalMs ?? 5000;
  return runPeriodically(
    intervalMs,
    () =>
      retryDueCorrelations(deps).catch((err: unknown) =>
        deps.log.warn({ err: (err as Error).message }, 'correlation retry failed'),
      ),
    intervalMs,
  );
}
