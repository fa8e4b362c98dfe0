/**
 * Housekeeping: removes rows that only ever pile up and that nothing reads any more.
 *
 * - staff sessions and consumer (portal) sessions past their expiry (otherwise cleared only when that same
 *   token comes back, or at that consumer's next login);
 * - one-time login codes that are used or expired, once past every rate-limit window they count for;
 * - failed staff logins older than the lockout window (otherwise cleared only by that address's next login);
 * - the stored parts of uploads that never became a file (a process stopped mid-upload; a failed request
 *   deletes its own), after a day;
 * - engine task events (task_event_outbox in the ENGINE database) that this installation's read model has
 *   long applied.
 *
 * Never the legal record: audit log, cases, messages, documents and portal submissions are not touched here.
 *
 * Every worker replica runs the job; a session advisory lock lets one sweep at a time (the others skip that
 * round). Deletes go in batches of a few thousand rows, each its own short transaction, so no table is locked
 * for long and a stop request is honoured between batches. The log gets counts only.
 *
 * Why pruning the task events is safe. The consumer (server/task-read-model/) keeps one cursor per app
 * database: every id up to it was applied, or was a hole waited for (up to 30 s) and given up on. It never
 * reads at or below its cursor again, and the holes it still awaits are all above it. So a row may go when:
 *   1. its id is at most this database's cursor: this installation has passed it, and deleting it cannot make
 *      a hole the consumer still waits for, nor one it has not reached yet;
 *   2. it belongs to a tenant of this database (or to no tenant, which no consumer applies): one engine
 *      database may serve several app databases (every test file is one; so is a second installation). Each
 *      applies only its own tenants' events and knows only its own cursor, so one never deletes another's
 *      events. Another installation that is far behind at most meets a hole where our row was: it waits up to
 *      30 s there while still applying what follows, then moves past; it had nothing to apply from that row
 *      (a new installation's consumer, which starts at cursor 0 and reads the outbox from its first id, is one:
 *      its cursor may stand still for those 30 s; the tests put the rows they prune back for that reason);
 *   3. it was created more than the retention ago (TASK_EVENT_RETENTION_DAYS, at least a day): a margin far
 *      beyond the 30 s hole wait and any engine transaction, and room to replay recent events by hand (a read
 *      model rebuilt from cursor 0 finds only the retention's worth of events).
 * Events of tenants that no database holds any more (a dropped test database) are left alone: nobody can say
 * whether their consumer has passed them.
 */
import postgres from 'postgres';
import type { Db } from '../db/client.ts';
import { LOGIN_LOCK_WINDOW_MS, purgeExpiredStaffSessions, purgeOldLoginFailures } from '../auth/index.ts';
import { purgeAbandonedUploads } from '../documents/index.ts';
import { purgeOldRegistrationKeys } from '../cases/index.ts';
import { runPeriodically } from '../periodic.ts';
import {
  CODES_PER_EMAIL_WINDOW_MS,
  CODES_PER_IP_WINDOW_MS,
  purgeExpiredConsumerSessions,
  purgeSpentLoginCodes,
} from '../portal/index.ts';
import { listTenantIds, pruneTaskEvents, readTaskEventCursor, type EngineSql } from './housekeeping.repo.ts';
import { withAllTenants } from '../db/tenant-scope.ts';

/** Rows per delete statement: small enough that a statement holds its locks for milliseconds. */
export const DEFAULT_BATCH_SIZE = 5000;
/** A spent login code is kept while it still counts for a rate limit. */
export const LOGIN_CODE_KEPT_MS = Math.max(CODES_PER_EMAIL_WINDOW_MS, CODES_PER_IP_WINDOW_MS);
const DAY_MS = 24 * 60 * 60 * 1000;
/** Upload parts per delete statement (each part is up to a megabyte). */
const UPLOAD_PARTS_BATCH = 100;

export interface SweepCounts {
  staffSessions: number;
  consumerSessions: number;
  loginCodes: number;
  staffLoginFailures: number;
  /** Parts of uploads that never became a stored file. */
  abandonedUploadParts: number;
  /** Registrations' Idempotency-Keys past their week (server/cases/registration.ts). */
  registrationKeys: number;
  /** Null when the engine database is not known (ENGINE_DATABASE_URL unset). */
  taskEvents: number | null;
}

export interface SweepOptions {
  /** How long a task event stays after it was written (default 7 days). */
  taskEventRetentionMs?: number;
  batchSize?: number;
  /** Asked between batches; true ends the sweep early (the rest waits for the next round). */
  shouldStop?: () => boolean;
}

async function inBatches(step: () => Promise<number>, batchSize: number, shouldStop: () => boolean) {
  let total = 0;
  for (;;) {
    const n = await step();
    total += n;
    if (n < batchSize || shouldStop()) return total;
  }
}

/**
 * One sweep, when no other replica is sweeping this database; null when one is. Deletes committed before an
 * error stay deleted (each batch is its own transaction); the next round picks up the rest.
 */
export async function sweepOnce(
  db: Db,
  engineSql: EngineSql | undefined,
  opts: SweepOptions = {},
): Promise<SweepCounts | null> {
  return withAllTenants('housekeeping: expired rows of every tenant', async () => {
    const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    const retentionMs = opts.taskEventRetentionMs ?? 7 * DAY_MS;
    const shouldStop = opts.shouldStop ?? (() => false);
    // A session lock on one reserved connection: it spans many short transactions (an xact lock would need one
    // long transaction, keeping every deleted row locked until the end), and goes if the connection dies.
    const conn = await db.$client.reserve();
    try {
      const [lock] = await conn<Array<{ locked: boolean }>>`
      select pg_try_advisory_lock(hashtext('housekeeping'), 0) as locked`;
      if (!lock?.locked) return null;
      try {
        const counts: SweepCounts = {
          staffSessions: await inBatches(
            () => purgeExpiredStaffSessions(db, batchSize),
            batchSize,
            shouldStop,
          ),
          consumerSessions: await inBatches(
            () => purgeExpiredConsumerSessions(db, batchSize),
            batchSize,
            shouldStop,
          ),
          loginCodes: await inBatches(
            () => purgeSpentLoginCodes(db, LOGIN_CODE_KEPT_MS, batchSize),
            batchSize,
            shouldStop,
          ),
          staffLoginFailures: await inBatches(
            () => purgeOldLoginFailures(db, LOGIN_LOCK_WINDOW_MS, batchSize),
            batchSize,
            shouldStop,
          ),
          // Parts are up to a megabyte each: a smaller batch keeps one statement's work short.
          abandonedUploadParts: await inBatches(
            () => purgeAbandonedUploads(db, new Date(Date.now() - DAY_MS), UPLOAD_PARTS_BATCH),
            UPLOAD_PARTS_BATCH,
            shouldStop,
          ),
          registrationKeys: await inBatches(
            () => purgeOldRegistrationKeys(db, batchSize),
            batchSize,
            shouldStop,
          ),
          taskEvents: null,
        };
        if (engineSql && !shouldStop()) {
          // Read once: every id up to any cursor ever saved was applied or given up on, so a value read a
          // moment ago stays safe while the consumer moves on.
          const upToId = await readTaskEventCursor(db);
          const tenants = await listTenantIds(db);
          const prune = (scope: string[] | 'untenanted') =>
            inBatches(
              () =>
                pruneTaskEvents(engineSql, {
                  upToId,
                  olderThanMs: retentionMs,
                  tenants: scope,
                  limit: batchSize,
                }),
              batchSize,
              shouldStop,
            );
          let pruned = 0;
          if (upToId > 0 && tenants.length) pruned += await prune(tenants);
          if (upToId > 0 && !shouldStop()) pruned += await prune('untenanted');
          counts.taskEvents = pruned;
        }
        return counts;
      } finally {
        await conn`select pg_advisory_unlock(hashtext('housekeeping'), 0)`;
      }
    } finally {
      conn.release();
    }
  });
}

export interface HousekeepingOptions {
  /** Between sweeps (HOUSEKEEPING_INTERVAL_MINUTES). */
  intervalMs: number;
  /** TASK_EVENT_RETENTION_DAYS; at least a day (see the rule above). */
  taskEventRetentionMs: number;
  batchSize?: number;
  /** Called after every round with its counts (null: another replica swept) or its error (tests). */
  onRound?: (result: SweepCounts | null | Error) => void;
}

/**
 * Sweeps now and then every `intervalMs` until stopped. The engine database (where task events live) gets its
 * own small pool; without it only the app database is swept.
 */
export function startHousekeeping(
  db: Db,
  engineDatabaseUrl: string | null | undefined,
  log: { info: (obj: object, msg: string) => void; warn: (obj: object, msg: string) => void },
  opts: HousekeepingOptions,
): { stop: () => Promise<void> } {
  const engineSql = engineDatabaseUrl
    ? postgres(engineDatabaseUrl, { max: 1, onnotice: () => {} })
    : undefined;
  const loop = runPeriodically(opts.intervalMs, (stopping) => {
    const started = Date.now();
    return sweepOnce(db, engineSql, {
      taskEventRetentionMs: opts.taskEventRetentionMs,
      batchSize: opts.batchSize,
      shouldStop: stopping,
    })
      .then((counts) => {
        // Counts only: the rows themselves (who was signed in, which address asked for a code) stay unsaid.
        if (counts) log.info({ ...counts, ms: Date.now() - started }, 'housekeeping: expired rows removed');
        opts.onRound?.(counts);
      })
      .catch((err: unknown) => {
        log.warn({ err: (err as Error).message }, 'housekeeping failed; retrying next round');
        opts.onRound?.(err as Error);
      });
  });
  return {
    stop: async () => {
      await loop.stop();
      await engineSql?.end({ timeout: 5 });
    },
  };
}

export const housekeepingSettings = (config: {
  housekeepingIntervalMinutes: number;
  taskEventRetentionDays: number;
}) => ({
  intervalMs: config.housekeepingIntervalMinutes * 60_000,
  taskEventRetentionMs: config.taskEventRetentionDays * DAY_MS,
});
