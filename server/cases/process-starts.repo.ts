import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { cases, processStarts } from '../db/schema/index.ts';

/** How long one starter holds a row (longer than the engine's HTTP timeout). */
export const LEASE_SECONDS = 60;

export type ProcessStartRow = typeof processStarts.$inferSelect;

/** Leases up to `batch` due rows (SKIP LOCKED: safe with many replicas). */
export async function leaseDue(db: Db, batch: number): Promise<ProcessStartRow[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: processStarts.id })
      .from(processStarts)
      .where(and(isNull(processStarts.startedAt), lte(processStarts.lockedUntil, sql`now()`)))
      .orderBy(asc(processStarts.id))
      .limit(batch)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(processStarts)
      .set({
        attempts: sql`${processStarts.attempts} + 1`,
        lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
      })
      .where(
        inArray(
          processStarts.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
}

/**
 * The start happened: the outbox row is done and the case is linked to its instance, with the versions it runs
 * under (the deployed process's content hash, the work instructions') when they are known.
 */
export async function markStarted(
  db: DbOrTx,
  row: { id: number; caseId: string },
  started: {
    instanceId: string;
    definitionId: string | null;
    processHash: string | null;
    instructionsHash: string | null;
  },
) {
  await db
    .update(processStarts)
    .set({ startedAt: sql`now()`, processInstanceId: started.instanceId, lastError: null })
    .where(eq(processStarts.id, row.id));
  await db
    .update(cases)
    .set({
      processInstanceId: started.instanceId,
      processDefinitionId: sql`coalesce(${started.definitionId}, ${cases.processDefinitionId})`,
      processHash: sql`coalesce(${started.processHash}, ${cases.processHash})`,
      instructionsHash: sql`coalesce(${started.instructionsHash}, ${cases.instructionsHash})`,
    })
    .where(eq(cases.id, row.caseId));
}

/** A failed attempt: the row is retried after `backoffSeconds`. */
export async function markStartFailed(db: DbOrTx, id: number, error: string, backoffSeconds: number) {
  await db
    .update(processStarts)
    .set({
      lastError: error.slice(0, 500),
      lockedUntil: sql`now() + make_interval(secs => ${backoffSeconds})`,
    })
    .where(eq(processStarts.id, id));
}

/** A start still waiting in the outbox must not happen any more (the case was annulled or converted). */
export async function cancelPendingStart(db: DbOrTx, caseId: string, reason: string, at: Date) {
  await db
    .update(processStarts)
    .set({ startedAt: at, lastError: reason })
    .where(and(eq(processStarts.caseId, caseId), isNull(processStarts.startedAt)));
}
