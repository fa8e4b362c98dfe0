import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';
import { scopedClient } from './scoped-client.ts';

/**
 * `scoped` (default): every statement carries the tenant scope of the code that runs it (server/db/scoped-client.ts);
 * for the app's roles, which row-level security filters. `scoped: false` for the owner (migrations, tests' own
 * checks), which the policies do not filter anyway. `socket`: the server's Unix socket file on this machine, used
 * instead of the URL's host and port (config.databaseSocket).
 */
export function createDb(
  url: string,
  options: { max?: number; scoped?: boolean; socket?: string | null | undefined } = {},
) {
  const sql = postgres(url, {
    max: options.max ?? 20,
    ...(options.socket ? { path: options.socket } : {}),
    onnotice: () => {},
    // Dates cross our boundaries as ISO strings; keep `date` columns as 'YYYY-MM-DD' text.
    types: { date: { to: 1082, from: [1082], serialize: (x: string) => x, parse: (x: string) => x } },
  });
  // Every statement drizzle sends carries the tenant scope of the code that runs it (row-level security).
  const db = drizzle(options.scoped === false ? sql : scopedClient(sql), { schema, casing: 'snake_case' });
  return { db, sql };
}

export type Db = ReturnType<typeof createDb>['db'];
/** A transaction handle; repositories accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;
