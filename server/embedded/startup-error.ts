/**
 * A failure to start one of the embedded services, said in plain words with what to do about it. `npm start`
 * prints these two sentences instead of a stack trace; the detail (a log's tail) follows for whoever needs it.
 */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}

const PORT_VARIABLES: Record<string, string> = {};

/** Remembers which environment variable moves a port, for the "port in use" sentence. */
export function portVariable(port: number, variable: string): void {
  PORT_VARIABLES[String(port)] = variable;
}

/**
 * Turns what the operating system or a child process said into a StartupError when we know its cause: a port in
 * use, a full disk, a folder we may not write. Anything else is returned unchanged.
 */
export function explainStartupError(err: unknown): unknown {
  if (err instanceof StartupError) return err;
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string };
  const text = String(e?.message ?? '');
  if (e?.code === 'EADDRINUSE') {
    const variable = e.port !== undefined ? PORT_VARIABLES[String(e.port)] : undefined;
    return new StartupError(
      `Port ${e.address ?? '127.0.0.1'}:${e.port ?? '?'} is already used by another program.`,
      variable
        ? `Stop that program, or choose another port with ${variable}=<port> npm start.`
        : 'Stop that program, or choose another port (see the configuration table in README.md).',
    );
  }
  if (e?.code === 'ENOSPC' || /No space left on device|could not extend file/i.test(text))
    return new StartupError(
      'The disk is full.',
      'Free some space (the data lives in .data/, the engine build in deploy/engine/target) and start again.',
      text,
    );
  if (e?.code === 'EACCES' || e?.code === 'EPERM')
    return new StartupError(
      `Permission denied: ${e.path ?? text}.`,
      'Run npm start as the user who owns the checkout, or give that user write access to it.',
      text,
    );
  return err;
}
