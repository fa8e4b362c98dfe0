/**
 * The postgres.js client drizzle talks to, with each statement sent inside the tenant scope of the code that
 * runs it (server/db/tenant-scope.ts).
 *
 * A statement outside a transaction goes out as four pipelined statements on one connection —
 *   begin; select set_config('app.tenant_id', …, true), set_config('app.all_tenants', …, true); <statement>; commit
 * — sent together, so it costs no extra round trip, and transaction-local, so the connection goes back to the pool
 * with nothing set. If setting the scope fails, the transaction is aborted and the statement with it: a statement
 * never runs with a scope it was not given. A transaction (`begin`) sets the scope first thing, the same way.
 *
 * Only what drizzle uses is routed: `unsafe` (every query), `begin` (transactions, pipelined: see
 * `pipelinedTransaction`) and `options` (drizzle registers its type parsers there). `reserve` and `end` pass
 * through for the few callers that hold a session (housekeeping's advisory lock), which run no tenant query on it.
 */
import type postgres from 'postgres';
import { currentScope, scopeSettings } from './tenant-scope.ts';

type Sql = postgres.Sql;
type Params = postgres.ParameterOrJSON<never>[] | undefined;
type Options = postgres.UnsafeQueryOptions | undefined;

const SET_SCOPE = "select set_config('app.tenant_id', $1, true), set_config('app.all_tenants', $2, true)";

/** One statement, run when awaited (drizzle calls `.values()` before awaiting, as with postgres.js). */
class ScopedStatement implements PromiseLike<unknown> {
  private mode: 'rows' | 'values' = 'rows';
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly base: Sql,
    private readonly settings: [string, string],
    private readonly query: string,
    private readonly params: Params,
    private readonly options: Options,
  ) {}

  values(): this {
    this.mode = 'values';
    return this;
  }

  private async run(): Promise<unknown> {
    const conn = await this.base.reserve();
    try {
      const begin = conn.unsafe('begin').execute();
      const set = conn.unsafe(SET_SCOPE, this.settings, { prepare: true }).execute();
      const statement = conn.unsafe(this.query, this.params as never, prepared(this.options));
      if (this.mode === 'values') statement.values();
      statement.execute();
      const commit = conn.unsafe('commit').execute();
      // Wait for all four before giving the connection back; the statement's own error wins over the others.
      const [b, s, r, c] = await Promise.allSettled([begin, set, statement, commit]);
      if (r.status === 'rejected') throw r.reason;
      for (const x of [b, s, c]) if (x.status === 'rejected') throw x.reason;
      return r.value;
    } finally {
      conn.release();
    }
  }

  /** Sends the statement once, the first time anyone waits for it. */
  private started(): Promise<unknown> {
    return (this.running ??= this.run());
  }

  then<A = unknown, B = never>(
    onfulfilled?: ((value: unknown) => A | PromiseLike<A>) | null,
    onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.started().then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<unknown> {
    return this.started().catch(onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<unknown> {
    return this.started().finally(onfinally);
  }
}

/**
 * Every statement with parameters goes out as a named prepared statement, kept per connection (postgres.js
 * caches it by its text). drizzle asks for unnamed ones, which cost a second round trip each time (parse and
 * describe, wait for the parameter types, then bind and execute) and a new parse and plan in PostgreSQL: on the
 * registration path that was most of the API's time (bench/README.md). A statement without parameters keeps the
 * simple protocol. The set of texts is bounded (drizzle's queries are fixed but for the length of `in` and
 * `values` lists), and postgres.js retires each connection within an hour, with its statements.
 */
function prepared(options: Options): Options {
  return { ...options, prepare: true };
}

/**
 * A transaction on a reserved connection whose `begin` and scope go out in the same write as its first statements.
 * postgres.js's own `begin` waits for the server's answer to `begin` before it runs the callback: one more round
 * trip per transaction, during which the connection is held and the event loop and a backend are woken for
 * nothing (bench/README.md, "Intake"). Statements on one connection run in the order they were sent, so the
 * callback's statements still run after `begin` and the scope; if either failed, the transaction is aborted and
 * the callback's statements fail with it.
 *
 * The callback's handle offers what drizzle uses: `unsafe` (each statement prepared, as the pool's) and
 * `savepoint` (nested transactions). At the end: `commit` when the callback resolved, else `rollback`. A statement
 * the callback started but did not wait for can fail unseen and abort the transaction; PostgreSQL then answers the
 * `commit` with `ROLLBACK`, which is turned into an error here rather than a success that wrote nothing.
 */
async function pipelinedTransaction(
  base: Sql,
  mode: string,
  settings: [string, string],
  fn: (tx: postgres.TransactionSql) => unknown,
): Promise<unknown> {
  const conn = await base.reserve();
  try {
    const begun = conn.unsafe(`begin ${mode.replace(/[^a-z ]/gi, '')}`).execute();
    const set = conn.unsafe(SET_SCOPE, settings, { prepare: true }).execute();
    begun.catch(() => undefined);
    set.catch(() => undefined);
    let result: unknown;
    try {
      result = await fn(transactionHandle(conn));
      await begun;
      await set;
    } catch (err) {
      await conn.unsafe('rollback').catch(() => undefined);
      throw err;
    }
    const committed = await conn.unsafe('commit');
    if (committed.command !== 'COMMIT')
      throw new Error(`transaction ended with ${committed.command}, not COMMIT`);
    return result;
  } finally {
    conn.release();
  }
}

/** What the transaction's callback gets: statements on the reserved connection, and savepoints. */
function transactionHandle(conn: postgres.ReservedSql): postgres.TransactionSql {
  let savepoints = 0;
  const handle = {
    options: conn.options,
    parameters: conn.parameters,
    unsafe: (query: string, params?: Params, options?: Options) =>
      conn.unsafe(query, params as never, prepared(options)),
    async savepoint(fn: (tx: postgres.TransactionSql) => unknown) {
      const name = `s${savepoints++}`;
      await conn.unsafe(`savepoint ${name}`);
      try {
        return await fn(handle as unknown as postgres.TransactionSql);
      } catch (err) {
        await conn.unsafe(`rollback to ${name}`);
        throw err;
      }
    },
  };
  return handle as unknown as postgres.TransactionSql;
}

/** Wraps a pool: what drizzle gets instead of the pool itself. */
export function scopedClient(base: Sql): Sql {
  const client = {
    options: base.options,
    parameters: base.parameters,
    unsafe(query: string, params?: Params, options?: Options) {
      const scope = currentScope();
      // Nothing to set: the pool's connections carry no setting (every one is transaction-local), so a statement
      // of a request that has not named its tenant goes out as it is and sees no tenant's rows.
      if (scope.kind === 'none') return base.unsafe(query, params as never, prepared(options));
      return new ScopedStatement(base, scopeSettings(scope), query, params, options);
    },
    begin(
      optionsOrFn: string | ((tx: postgres.TransactionSql) => unknown),
      maybeFn?: (tx: postgres.TransactionSql) => unknown,
    ) {
      const fn = (maybeFn ?? optionsOrFn) as (tx: postgres.TransactionSql) => unknown;
      const mode = maybeFn ? (optionsOrFn as string) : '';
      return pipelinedTransaction(base, mode, scopeSettings(currentScope()), fn);
    },
    reserve: () => base.reserve(),
    end: (options?: { timeout?: number }) => base.end(options),
  };
  return client as unknown as Sql;
}
