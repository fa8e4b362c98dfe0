/**
 * Keeps one process of the cluster running: starts it, waits until it is ready, and when it ends without being
 * asked to (a crash, `kill -9`), starts it again after a short back-off. Every restart is recorded with when the
 * process ended and when its successor was ready, which is the recovery time the chaos test reports.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface Instance {
  pid: number;
  /** Resolves with the exit code or signal once the process has ended. */
  exited: Promise<string>;
  /** Graceful stop (SIGTERM, then SIGKILL after a grace period); resolves once it has ended. */
  stop(): Promise<void>;
}

export interface Recovery {
  name: string;
  endedAt: number;
  exit: string;
  /** When the next instance was ready (undefined while it is not). */
  readyAt?: number;
}

export interface Supervised {
  name: string;
  kind: string;
  /** The running instance's pid, null between an exit and the next start. */
  pid(): number | null;
  /** Whether the current instance is up and ready. */
  ready(): boolean;
  /** Resolves once an instance is ready (at once when one is). */
  whenReady(timeoutMs?: number): Promise<void>;
  /** Stops the current instance gracefully and waits for its successor to be ready (rolling restart). */
  restart(): Promise<void>;
  stop(): Promise<void>;
  recoveries: Recovery[];
}

export interface SuperviseOptions {
  name: string;
  kind: string;
  /** Starts one instance and resolves when it is ready; rejects when it could not start (retried). */
  start(attempt: number): Promise<Instance>;
  log(line: string): void;
}

export function supervise(opts: SuperviseOptions): Supervised {
  let current: Instance | null = null;
  let isReady = false;
  let stopping = false;
  let waiters: Array<() => void> = [];
  const recoveries: Recovery[] = [];
  let pendingRecovery: Recovery | null = null;
  let stopped: Promise<void> | null = null;

  const loop = (async () => {
    let attempt = 0;
    let backoff = 250;
    while (!stopping) {
      attempt++;
      let instance: Instance;
      try {
        instance = await opts.start(attempt);
      } catch (err) {
        if (stopping) break;
        opts.log(
          `${opts.name}: could not start (${(err as Error).message.split('\n')[0]}); again in ${backoff} ms`,
        );
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
        continue;
      }
      current = instance;
      isReady = true;
      const startedAt = Date.now();
      if (pendingRecovery) {
        pendingRecovery.readyAt = startedAt;
        pendingRecovery = null;
      }
      for (const w of waiters) w();
      waiters = [];
      const exit = await instance.exited;
      isReady = false;
      current = null;
      if (stopping) break;
      pendingRecovery = { name: opts.name, endedAt: Date.now(), exit };
      recoveries.push(pendingRecovery);
      opts.log(`${opts.name}: ended (${exit}); restarting`);
      // A process that ran a while gets restarted at once; one that keeps failing, less and less often.
      backoff = Date.now() - startedAt > 30_000 ? 250 : Math.min(backoff * 2, 5_000);
      await sleep(Date.now() - startedAt > 30_000 ? 0 : backoff);
    }
  })();

  const whenReady = (timeoutMs = 180_000) =>
    isReady
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`${opts.name} not ready within ${timeoutMs / 1000} s`)),
            timeoutMs,
          );
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });

  return {
    name: opts.name,
    kind: opts.kind,
    pid: () => current?.pid ?? null,
    ready: () => isReady,
    whenReady,
    async restart() {
      const instance = current;
      if (!instance) return whenReady();
      // Registered before the stop, so the successor's readiness cannot slip past us.
      const next = new Promise<void>((resolve) => waiters.push(resolve));
      isReady = false;
      await instance.stop();
      await next;
    },
    stop() {
      stopped ??= (async () => {
        stopping = true;
        for (const w of waiters) w();
        await current?.stop();
        await loop;
      })();
      return stopped;
    },
    recoveries,
  };
}
