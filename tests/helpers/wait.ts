/**
 * The one way a test waits: for a condition, never for a length of time. A fixed sleep is either too short on a
 * loaded machine (the test flakes) or too long on an idle one (the suite crawls); polling a condition is neither.
 * tests/hygiene/test-hygiene.test.ts refuses sleeps (setTimeout promises, page.waitForTimeout) anywhere else.
 */
export interface WaitOptions {
  /** Give up after this long (ms); default 30 s. */
  timeoutMs?: number;
  /** How long between two looks (ms); default 200. */
  stepMs?: number;
  /** What is awaited, for the error when it never comes. */
  what?: string;
}

/**
 * Calls `condition` until it returns a truthy value and returns that value. A throw counts as "not yet" (e.g. an
 * assertion inside the condition, or a row not there yet); the last one is in the timeout's message.
 * `options` may be the timeout alone (ms).
 */
export async function waitFor<T>(
  condition: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  options: WaitOptions | number = {},
): Promise<T> {
  const {
    timeoutMs = 30_000,
    stepMs = 200,
    what,
  } = typeof options === 'number' ? { timeoutMs: options } : options;
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await condition();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end)
      throw new Error(
        `${what ?? 'condition'} not met in ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`,
      );
    await pause(stepMs);
  }
}

/**
 * The dual of waitFor, for what must NOT happen: checks `condition` every `stepMs` for `ms` and throws at the
 * first look where it no longer holds. A non-event has no moment to wait for, so this is the one wait that is
 * a length of time; say in the test why that length is enough.
 */
export async function holdsFor(
  condition: () => boolean | Promise<boolean>,
  ms: number,
  { stepMs = 50, what }: { stepMs?: number; what?: string } = {},
): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (!(await condition())) throw new Error(`${what ?? 'condition'} stopped holding within ${ms} ms`);
    if (Date.now() >= end) return;
    await pause(Math.min(stepMs, Math.max(0, end - Date.now())));
  }
}

/** The pause between two looks of waitFor and holdsFor: the only timer a test may wait on. */
function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A load generator's pace (tests/chaos: clients that send at a rate, kills at random moments): time is what is
 * being produced, not what is waited for. Never use it to wait for a result: that is waitFor.
 */
export function pace(ms: number): Promise<void> {
  return pause(ms);
}
