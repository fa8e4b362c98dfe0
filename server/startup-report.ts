import { explainStartupError, StartupError } from './embedded/startup-error.ts';

/**
 * What `npm start` prints while it comes up: one line per component with how long it took, the launchers' notes
 * indented under it, and on failure two plain sentences (what went wrong, what to do) instead of a stack trace.
 * Plain text on purpose: this is read by a person at a terminal, not by a log collector.
 */
export interface StartupReport {
  /** Runs one component's start; prints `✓ label (detail) … 1.2 s` when it resolves, `✗ label` when it throws. */
  step<T>(label: string, fn: () => Promise<T>, detail?: (result: T) => string): Promise<T>;
  /** A line under the current step (progress of a long build, where data lives). */
  note(message: string): void;
}

function seconds(ms: number): string {
  return ms < 100 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function consoleReport(
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): StartupReport {
  return {
    async step(label, fn, detail) {
      const started = Date.now();
      try {
        const result = await fn();
        const what = detail ? `${label} (${detail(result)})` : label;
        write(`  ✓ ${what} ${'.'.repeat(Math.max(2, 64 - what.length))} ${seconds(Date.now() - started)}`);
        return result;
      } catch (err) {
        write(`  ✗ ${label}`);
        throw err;
      }
    },
    note(message) {
      write(`    · ${message}`);
    },
  };
}

/** A report that prints nothing (tests and tools that start the infrastructure). */
export const silentReport: StartupReport = {
  step: (_label, fn) => fn(),
  note: () => {},
};

/** The failure as a person should read it: the cause and the fix, then (only if known) the detail that led to it. */
export function describeStartupFailure(err: unknown): string {
  const e = explainStartupError(err);
  if (e instanceof StartupError) {
    const lines = ['', `  Could not start: ${e.message}`, `  What to do: ${e.fix}`];
    if (e.detail?.trim())
      lines.push(
        '',
        '  Details:',
        ...e.detail
          .trim()
          .split('\n')
          .slice(-15)
          .map((l) => `    ${l}`),
      );
    return lines.join('\n') + '\n';
  }
  const message = err instanceof Error ? err.message : String(err);
  return [
    '',
    `  Could not start: ${message}`,
    '  What to do: this is unexpected; the technical detail follows (please report it with .data/logs/).',
    '',
    err instanceof Error && err.stack ? err.stack : '',
    '',
  ].join('\n');
}
