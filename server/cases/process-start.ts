import type { Db } from '../db/client.ts';
import type { EngineClient, Variables } from '../engine/client.ts';
import { processVersion } from '../engine/process-version.ts';
import { withAllTenants, withTenant } from '../db/tenant-scope.ts';
import { appendAudit, type AuditInput } from '../audit/index.ts';
import { currentInstructionsHash } from '../instructions/index.ts';
import type { Logger } from '../logger.ts';
import { runPeriodically } from '../periodic.ts';
import {
  cancelPendingStart,
  leaseDue,
  LEASE_SECONDS,
  markStarted,
  markStartFailed,
  type ProcessStartRow,
  type StartedRow,
} from './process-starts.repo.ts';

/**
 * The process start of a registered case, as a transactional outbox: the row is written in the registration
 * transaction, so a case exists even while the engine is down, and the start is retried until it happened
 * exactly once. A row is leased (`locked_until`) to one starter at a time, for longer than the HTTP timeout;
 * any attempt after the first asks the engine whether an instance with this business key already exists.
 * The outbox row is the case's (the cases module owns `process_starts`, server/db/schema/README.md).
 */
export { LEASE_SECONDS, cancelPendingStart, type ProcessStartRow };

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
    await recordStarted(
      db,
      row.tenantId,
      {
        id: row.id,
        caseId: row.caseId,
        instanceId,
        definitionId: version ? (definitionId ?? null) : null,
        processHash: version ?? null,
        instructionsHash: instructionsHash ?? null,
      },
      {
        tenantId: row.tenantId,
        actorKind: 'system',
        action: 'case.process_started',
        entityType: 'case',
        entityId: row.caseId,
        details: {
          processInstanceId: instanceId,
          attempts: row.attempts,
          processHash: version,
          instructionsHash,
        },
      },
    );
    return instanceId;
  } catch (err) {
    const backoff = Math.min(2 ** row.attempts, 60);
    log.warn(
      { caseId: row.caseId, attempts: row.attempts, err: (err as Error).message },
      'process start failed; will retry',
    );
    await markStartFailed(db, row.id, (err as Error).message, backoff);
    return null;
  }
}

/** At most this many finished starts are recorded in one transaction. */
const MAX_GROUP = 64;

interface PendingStart {
  started: StartedRow;
  audit: AuditInput;
  resolve(): void;
  reject(err: unknown): void;
}

/** A tenant's finished starts waiting to be recorded, and whether a recording is under way. */
interface StartQueue {
  rows: PendingStart[];
  flushing: boolean;
}

/** The queues per connection pool and tenant. */
const waiting = new WeakMap<Db, Map<string, StartQueue>>();

/**
 * Records a finished start (the outbox row done, the case linked, the audit entry) once it is committed. Group
 * commit: the first start is recorded at once; the starts that finish while that transaction runs are recorded
 * together in the next one (same statements, one commit for all), so under load a start costs a share of a
 * transaction instead of a whole one, and alone it waits for nothing (bench/README.md). If the transaction fails,
 * every start in it is retried by the outbox, which finds its instance by business key.
 */
function recordStarted(db: Db, tenantId: string, started: StartedRow, audit: AuditInput): Promise<void> {
  let byTenant = waiting.get(db);
  if (!byTenant) waiting.set(db, (byTenant = new Map()));
  let queue = byTenant.get(tenantId);
  if (!queue) byTenant.set(tenantId, (queue = { rows: [], flushing: false }));
  const q = queue;
  return new Promise<void>((resolve, reject) => {
    q.rows.push({ started, audit, resolve, reject });
    if (!q.flushing) void flushStarts(db, tenantId, q, byTenant);
  });
}

async function flushStarts(
  db: Db,
  tenantId: string,
  q: StartQueue,
  byTenant: Map<string, StartQueue>,
): Promise<void> {
  q.flushing = true;
  try {
    while (q.rows.length > 0) {
      const group = q.rows.splice(0, MAX_GROUP);
      try {
        await withTenant(tenantId, () =>
          db.transaction(async (tx) => {
            await Promise.all([
              markStarted(
                tx,
                group.map((g) => g.started),
              ),
              appendAudit(
                tx,
                group.map((g) => g.audit),
              ),
            ]);
          }),
        );
        for (const g of group) g.resolve();
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
  } finally {
    q.flushing = false;
    if (q.rows.length === 0) byTenant.delete(tenantId);
  }
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
