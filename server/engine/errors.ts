/** How engine calls fail, and the one retry policy for changes that collide in the engine. */
export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly engineType: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/** The engine could not be reached: nothing happened there. */
export class EngineUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`engine unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'EngineUnavailableError';
  }
}

/**
 * A concurrent change of the same instance (a timer firing, a worker completing) makes the engine refuse with an
 * optimistic-locking error and roll back; the call is then safe to repeat, and it is, a few times at once. Used by
 * every call of server/engine that changes an instance (REST and external tasks alike).
 */
export async function retryingConflicts<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const conflict =
        err instanceof EngineError &&
        err.status === 500 &&
        /OptimisticLocking/i.test(`${err.engineType} ${err.message}`);
      if (!conflict || attempt >= 6) throw err;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}
