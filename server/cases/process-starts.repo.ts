import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { processStarts } from '../db/schema/index.ts';

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

export interface StartedRow {
  /** The outbox row. */
  id: number;
  caseId: string;
  instanceId: string;
  definitionId: string | null;
  processHash: string | null;
  instructionsHash: string | null;
}

/**
 * The starts happened: the outbox rows are done and the cases linked to their instances, with the versions they
 * run under (the deployed process's content hash, the work instructions') when they are known. Any number of rows
 * in two statements, sent together (pipelined on the transaction's connection): one round trip.
 */
export async function markStarted(db: DbOrTx, rows: StartedRow[]) {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map(
      (r) =>
        sql`(${r.id}::bigint, ${r.caseId}::uuid, ${r.instanceId}::text, ${r.definitionId}::text, ${r.processHash}::text, ${r.instructionsHash}::text)`,
    ),
    sql`, `,
  );
  const v = sql`(values ${values}) as v(id, case_id, instance_id, definition_id, process_hash, instructions_hash)`;
  await Promise.all([
    db.execute(sql`
      update process_starts set started_at = now(), process_instance_id = v.instance_id, last_error = null
      from ${v} where process_starts.id = v.id`),
    db.execute(sql`
      update cases set process_instance_id = v.instance_id,
        process_definition_id = coalesce(v.definition_id, cases.process_definition_id),
        process_hash = coalesce(v.process_hash, cases.process_hash),
        instructions_hash = coalesce(v.instructions_hash, cases.instructions_hash)
      from ${v} where cases.id = v.case_id`),
  ]);
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
