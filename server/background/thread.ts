import { Worker } from 'node:worker_threads';
import type { IntakeTenant, ProcessOutcome } from '../intake/index.ts';
import type { Logger } from '../logger.ts';
import type { BackgroundInit, FromThread, ToThread } from './protocol.ts';

export type { BackgroundInit, BackgroundPart } from './protocol.ts';

export interface BackgroundThread {
  /** Resolves when the thread has started its parts; rejects with the reason when the first start failed. */
  ready: Promise<void>;
  /** Asks the thread to stop (its intake and workers finish what they hold), then ends it. */
  stop(): Promise<void>;
}

const BOOT = new URL('./thread-boot.mjs', import.meta.url);
const ENTRY = new URL('./thread-main.ts', import.meta.url).href;
/** How long a stop waits for the thread to finish its work before it is terminated. */
const STOP_GRACE_MS = 15_000;
const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Runs the mail intake and the workers in a worker thread, with its own event loop, database pool and engine
 * client: a slow message or a heavy document delays only other background work, never the API. A thread that
 * dies after it started is started again (1 s, doubling up to 30 s), like the embedded services' supervisors.
 */
export function startBackgroundThread(
  init: BackgroundInit,
  opts: {
    log: Pick<Logger, 'warn' | 'error'>;
    onOutcome?: (tenant: IntakeTenant | null, outcome: ProcessOutcome) => void;
  },
): BackgroundThread {
  let current: Worker | null = null;
  let stopping = false;
  let restartDelay = 1000;
  let restartTimer: NodeJS.Timeout | null = null;

  function spawn(first: { resolve: () => void; reject: (err: Error) => void } | null) {
    const worker = new Worker(BOOT, {
      workerData: { entry: ENTRY, init },
      // Only tsx (registered by thread-boot.mjs): not the parent's flags (vitest's, tsx's preflight).
      execArgv: [],
      name: `reclamatii-${init.parts.join('+')}`,
    });
    current = worker;
    let started = false;
    worker.on('message', (m: FromThread) => {
      if (m.type === 'ready') {
        started = true;
        restartDelay = 1000;
        first?.resolve();
      } else if (m.type === 'failed') {
        first?.reject(new Error(`background thread (${init.parts.join(', ')}) did not start: ${m.message}`));
      } else if (m.type === 'outcome') {
        opts.onOutcome?.(m.tenant, m.outcome);
      }
    });
    worker.on('error', (err) => {
      opts.log.error({ err: err.message, parts: init.parts }, 'background thread failed');
      if (!started) first?.reject(err);
    });
    worker.on('exit', (code) => {
      if (current === worker) current = null;
      if (stopping || !started) return;
      opts.log.warn(
        { code, parts: init.parts, restartInMs: restartDelay },
        'background thread ended unexpectedly: starting it again',
      );
      restartTimer = setTimeout(() => {
        restartTimer = null;
        if (!stopping) spawn(null);
      }, restartDelay);
      restartDelay = Math.min(restartDelay * 2, MAX_RESTART_DELAY_MS);
    });
  }

  const ready = new Promise<void>((resolve, reject) => spawn({ resolve, reject }));
  return {
    ready,
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const worker = current;
      if (!worker) return;
      const exited = new Promise<void>((r) => worker.once('exit', () => r()));
      worker.postMessage({ type: 'stop' } satisfies ToThread);
      const grace = setTimeout(() => void worker.terminate(), STOP_GRACE_MS);
      await exited;
      clearTimeout(grace);
    },
  };
}
