/**
 * The loop of a replica's background jobs (audit sealing, housekeeping, the process-start outbox): one round at a
 * time, the next `intervalMs` after the previous one ended, so a slow round never overlaps the next, until
 * stopped. `stop` waits for the round in progress, so a shutdown does not cut one off mid-transaction. A round
 * handles (logs) its own errors; `stopping` tells a long round to end early.
 */
export function runPeriodically(
  intervalMs: number,
  round: (stopping: () => boolean) => Promise<unknown>,
  firstAfterMs = 0,
): { stop: () => Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const next = () => {
    running = round(() => stopped).finally(() => {
      if (!stopped) timer = setTimeout(next, intervalMs);
    });
  };
  timer = setTimeout(next, firstAfterMs);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
