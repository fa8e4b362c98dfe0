import type { Db } from '../db/client.ts';
import { pingDatabase } from './health.repo.ts';

/**
 * What `/readyz` answers, as against `/healthz` (the process is alive): whether a load balancer should send this
 * process requests now. Not while it drains for a stop (the balancer takes it out before it stops accepting, so a
 * rolling restart fails no request), nor while its database does not answer. The database's answer is kept for a
 * short while, so a balancer checking every few hundred milliseconds from several places costs one query.
 */
export interface Readiness {
  /** From now on /readyz answers 503: the process is about to stop. */
  drain(): void;
  /**
   * Drains, then resolves once a /readyz check has been answered 503 (the balancer knows), or after `maxMs`
   * when nobody checks (no balancer); at once when `maxMs` is 0.
   */
  drainUntilSeen(maxMs: number): Promise<void>;
  readonly draining: boolean;
  check(): Promise<{ ready: true } | { ready: false; reason: string }>;
}

const CACHE_MS = 500;
const PING_TIMEOUT_MS = 2_000;
const SEEN_MARGIN_MS = 300;

export function createReadiness(db: Db): Readiness {
  let draining = false;
  let seen: () => void = () => {};
  let last: { at: number; error: string | null } | null = null;
  let inFlight: Promise<string | null> | null = null;

  async function databaseError(): Promise<string | null> {
    if (last && Date.now() - last.at < CACHE_MS) return last.error;
    inFlight ??= (async () => {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          pingDatabase(db),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('no answer within 2 s')), PING_TIMEOUT_MS);
          }),
        ]);
        return null;
      } catch (err) {
        return `database: ${(err as Error).message}`;
      } finally {
        clearTimeout(timer);
      }
    })().then((error) => {
      last = { at: Date.now(), error };
      inFlight = null;
      return error;
    });
    return inFlight;
  }

  return {
    drain() {
      draining = true;
    },
    async drainUntilSeen(maxMs) {
      draining = true;
      if (maxMs <= 0) return;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        seen = resolve;
        timer = setTimeout(resolve, maxMs);
      });
      clearTimeout(timer);
      // The balancer reads our 503 a moment after we send it; a request it routed just before is let in.
      await new Promise((resolve) => setTimeout(resolve, Math.min(SEEN_MARGIN_MS, maxMs)));
    },
    get draining() {
      return draining;
    },
    async check() {
      if (draining) {
        seen();
        return { ready: false, reason: 'stopping' };
      }
      const error = await databaseError();
      return error ? { ready: false, reason: error } : { ready: true };
    },
  };
}
