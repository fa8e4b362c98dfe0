import postgres from 'postgres';
import type { Db } from '../db/client.ts';
import { applyTaskEvents, lockCursor, readTaskEvents, saveCursor } from './task-events.repo.ts';
import { withAllTenants } from '../db/tenant-scope.ts';

interface Log {
  info(msg: string): void;
  warn(msg: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface TaskEventConsumerOptions {
  /** Events read per round (default 1000). */
  batchSize?: number;
  /** Safety poll when no notification came (default 5 s). */
  pollMs?: number;
  /**
   * How long a hole in the event ids is waited for (default 30 s). Ids come from a sequence at insert time, so
   * an engine transaction that commits late shows its event after later ids; one that rolled back never does.
   */
  gapTimeoutMs?: number;
}

/**
 * Feeds the inbox read model (`tasks`) from the engine's task_event_outbox: LISTEN task_events on the engine's
 * database, then catch up by id. Every replica may run one: the cursor row is locked with SKIP LOCKED, so one
 * applies a round while the others wait for the next notification. Applying is idempotent (per-task
 * last event id), so a crash between apply and commit only replays events.
 */
export function startTaskEventConsumer(
  db: Db,
  engineDatabaseUrl: string,
  log: Log,
  opts: TaskEventConsumerOptions = {},
) {
  const batchSize = opts.batchSize ?? 1000;
  const pollMs = opts.pollMs ?? 5000;
  const gapTimeoutMs = opts.gapTimeoutMs ?? 30_000;
  const engineSql = postgres(engineDatabaseUrl, { max: 2, onnotice: () => {} });

  /** Highest id read by this replica, and holes below it (id -> first seen) still awaited. */
  let scannedTo = -1;
  const gaps = new Map<number, number>();
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const listeners = new Set<() => void>();

  // The engine's events are every tenant's: the consumer applies them all (server/db/tenant-scope.ts).
  async function round(): Promise<'done' | 'more' | 'busy'> {
    return withAllTenants("task read model: applies every tenant's engine events", () => applyRound());
  }

  async function applyRound(): Promise<'done' | 'more' | 'busy'> {
    return db.transaction(async (tx) => {
      const cursor = await lockCursor(tx);
      if (cursor === null) return 'busy';
      // First round, or another replica moved on: start from the committed cursor. Holes at or below it were
      // filled or given up on by whoever moved it; waiting for them here would move the cursor back.
      if (scannedTo < cursor) scannedTo = cursor;
      for (const id of gaps.keys()) if (id <= cursor) gaps.delete(id);
      const events = await readTaskEvents(engineSql, scannedTo, batchSize, [...gaps.keys()]);
      await applyTaskEvents(tx, events);
      const now = Date.now();
      let fresh = 0;
      for (const e of events) {
        if (gaps.delete(e.id)) continue;
        if (e.id <= scannedTo) continue;
        // A hole wider than a batch is a sequence jump, not transactions in flight.
        if (e.id - scannedTo <= batchSize)
          for (let missing = scannedTo + 1; missing < e.id; missing++) gaps.set(missing, now);
        scannedTo = e.id;
        fresh++;
      }
      for (const [id, seen] of gaps) if (now - seen > gapTimeoutMs) gaps.delete(id);
      const lowestGap = gaps.size ? Math.min(...gaps.keys()) : Infinity;
      const next = Math.min(scannedTo, lowestGap - 1);
      if (next !== cursor) await saveCursor(tx, next);
      return fresh === batchSize ? 'more' : 'done';
    });
  }

  async function drain() {
    do {
      again = false;
      try {
        let r: Awaited<ReturnType<typeof round>>;
        do r = await round();
        while (r === 'more' && !stopped);
        if (r === 'busy') {
          // Another replica is applying; look again shortly (its round may have missed our notification).
          setTimeout(kick, 250).unref();
        }
        for (const l of listeners) l();
      } catch (err) {
        if (!stopped) log.error({ err }, 'task read model: applying engine task events failed; retrying');
        if (!stopped) setTimeout(kick, 1000).unref();
      }
    } while (again && !stopped);
  }

  function kick() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drain().finally(() => {
      running = null;
    });
  }

  const listening = engineSql
    .listen(
      'task_events',
      () => kick(),
      () => kick(),
    )
    .catch((err: unknown) => {
      log.error({ err }, 'task read model: LISTEN task_events failed; polling only');
    });
  timer = setInterval(kick, pollMs);
  timer.unref();
  kick();

  return {
    /** Resolves once LISTEN is active. */
    ready: listening.then(() => undefined),
    /** Runs a round now and waits for it (tests and benchmarks). */
    async flush() {
      kick();
      while (running) await running;
    },
    /** Called after every drain (tests). */
    onDrained(fn: () => void) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      while (running) await running;
      await engineSql.end({ timeout: 5 });
    },
  };
}

export type TaskEventConsumer = ReturnType<typeof startTaskEventConsumer>;
