import { and, asc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { processStarts } from '../db/schema/index.ts';
import type { EngineClient, Variables } from '../engine/client.ts';
import { processVersion } from '../engine/process-version.ts';
import { currentInstructionsHash } from '../instructions/index.ts';
import { runPeriodically } from '../periodic.ts';
import { withAllTenants, withTenant } from '../db/tenant-scope.ts';

/**
 * The process start of a registered case, as a transactional outbox: the row is written in the registration
 * transaction, so a case exists even while the engine is down, and the start is retried until it happened
 * exactly once. A row is leased (`locked_until`) to one starter at a time, for longer than the HTTP timeout;
 * any attempt after the first asks the engine whether an instance with this business key already exists.
 */
export const LEASE_SECONDS = 60;

export type ProcessStartRow = typeof processStarts.$inferSelect;

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

/** Performs one leased attempt. Returns the instance id, or null when it must be retried later. */
export async function attemptProcessStart(
  db: Db,
  engine: EngineClient,
  row: ProcessStartRow,
  log: Logger,
): Promise<string | null> {
  try {
    let instanceId: string | undefined;
    if (row.attempts > 1) {
      const existing = await engine.findHistoricProcessInstances({
        businessKey: row.businessKey,
        tenantId: row.tenantId,
        processDefinitionKey: row.processKey,
      });
      instanceId = existing[0]?.id;
    }
    let definitionId: string | undefined;
    if (!instanceId) {
      const started = await engine.startProcess({
        key: row.processKey,
        tenantId: row.tenantId,
        businessKey: row.businessKey,
        variables: row.variables as Variables,
      });
      instanceId = started.id;
      definitionId = started.definitionId;
    }
    // The versions the case runs under: the deployed process (content hash) and the work instructions.
    const [version, instructionsHash] = await Promise.all([
      definitionId ? processVersion(engine, definitionId).catch(() => null) : null,
      currentInstructionsHash().catch(() => null),
    ]);
    // One statement (atomic on its own): mark the start done, link the case, audit it.
    const details = {
      processInstanceId: instanceId,
      attempts: row.attempts,
      processHash: version,
      instructionsHash,
    };
    await db.execute(sql`
      with ps as (
        update process_starts set started_at = now(), process_instance_id = ${instanceId}, last_error = null
        where id = ${row.id}
      ), c as (
        update cases set process_instance_id = ${instanceId},
          process_definition_id = coalesce(${version ? (definitionId ?? null) : null}, process_definition_id),
          process_hash = coalesce(${version ?? null}, process_hash),
          instructions_hash = coalesce(${instructionsHash ?? null}, instructions_hash)
        where id = ${row.caseId}
      )
      insert into audit_log (tenant_id, actor_kind, action, entity_type, entity_id, details)
      values (${row.tenantId}, 'system', 'case.process_started', 'case', ${row.caseId}, ${JSON.stringify(details)}::jsonb)`);
    return instanceId;
  } catch (err) {
    const backoff = Math.min(2 ** row.attempts, 60);
    log.warn(
      { caseId: row.caseId, attempts: row.attempts, err: (err as Error).message },
      'process start failed; will retry',
    );
    await db
      .update(processStarts)
      .set({
        lastError: (err as Error).message.slice(0, 500),
        lockedUntil: sql`now() + make_interval(secs => ${backoff})`,
      })
      .where(eq(processStarts.id, row.id));
    return null;
  }
}

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

/** Runs the dispatcher until stopped: drains due rows, then sleeps `intervalMs`. */
export function startProcessStartDispatcher(
  db: Db,
  engine: EngineClient,
  log: Logger,
  opts: { intervalMs?: number; batch?: number } = {},
): { stop(): Promise<void>; drain(): Promise<number> } {
  const intervalMs = opts.intervalMs ?? 1000;
  const batch = opts.batch ?? 20;
  async function drain(): Promise<number> {
    let started = 0;
    for (;;) {
      // Leasing looks at every tenant's outbox; each start then runs in its case's tenant (tenant-scope.ts).
      const rows = await withAllTenants('process-start outbox: leases due rows', () => leaseDue(db, batch));
      if (rows.length === 0) return started;
      const results = await Promise.all(
        rows.map((r) => withTenant(r.tenantId, () => attemptProcessStart(db, engine, r, log))),
      );
      const ok = results.filter(Boolean).length;
      started += ok;
      if (ok === 0) return started; // the engine is down: wait for the next tick
    }
  }

  const loop = runPeriodically(
    intervalMs,
    () =>
      drain().catch((err: unknown) => {
        log.error({ err: (err as Error).message }, 'process start dispatcher failed');
        return 0;
      }),
    intervalMs,
  );
  return { stop: loop.stop, drain };
}
