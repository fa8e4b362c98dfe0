import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { DbOrTx } from '../db/client.ts';

/** A connection pool on the engine's own PostgreSQL database (where task_event_outbox lives). */
export type EngineSql = ReturnType<typeof postgres>;

const countOf = (result: unknown) => (result as { count?: number }).count ?? 0;

/*
 * Every delete takes at most `limit` rows, so one statement holds its row locks briefly and a large backlog
 * goes in several short transactions. The outer `expires_at < now()` is checked again by PostgreSQL on a row
 * that a concurrent request changed meanwhile: a session renewed in that instant stays.
 */

/** Staff sessions past their expiry (up to `limit`); returns how many went. */
export async function deleteExpiredStaffSessions(db: DbOrTx, limit: number): Promise<number> {
  return countOf(
    await db.execute(sql`
      delete from sessions
       where id in (select id from sessions where expires_at < now() limit ${limit})
         and expires_at < now()`),
  );
}

/** Consumer (portal) sessions past their expiry (up to `limit`); returns how many went. */
export async function deleteExpiredConsumerSessions(db: DbOrTx, limit: number): Promise<number> {
  return countOf(
    await db.execute(sql`
      delete from consumer_sessions
       where id in (select id from consumer_sessions where expires_at < now() limit ${limit})
         and expires_at < now()`),
  );
}

/**
 * One-time login codes that are used or expired and were asked for more than `keptForMs` ago (up to `limit`).
 * The rows also count code requests per address and per client address, so a spent code must outlive the
 * longest rate-limit window; removing it sooner would let more codes be asked for.
 */
export async function deleteSpentLoginCodes(db: DbOrTx, keptForMs: number, limit: number): Promise<number> {
  const before = new Date(Date.now() - keptForMs).toISOString();
  return countOf(
    await db.execute(sql`
      delete from portal_login_codes
       where id in (select id from portal_login_codes
                     where created_at < ${before} and (consumed_at is not null or expires_at < now())
                     limit ${limit})`),
  );
}

/**
 * Failed staff logins older than `keptForMs` (the lockout window; up to `limit`). Only failures inside the
 * window lock an address; an address's rows otherwise go only at its next successful login.
 */
export async function deleteOldStaffLoginFailures(
  db: DbOrTx,
  keptForMs: number,
  limit: number,
): Promise<number> {
  const before = new Date(Date.now() - keptForMs).toISOString();
  return countOf(
    await db.execute(sql`
      delete from staff_login_failures
       where id in (select id from staff_login_failures where at < ${before} limit ${limit})`),
  );
}

/** Every engine task event up to this id has been applied to this database's read model (or given up on). */
export async function readTaskEventCursor(db: DbOrTx): Promise<number> {
  const rows = (await db.execute(
    sql`select last_event_id from task_event_cursor where id = 1`,
  )) as unknown as Array<{ last_event_id: string | number }>;
  return rows.length ? Number(rows[0]!.last_event_id) : 0;
}

/** The tenants this database holds (as the engine writes them: text). */
export async function listTenantIds(db: DbOrTx): Promise<string[]> {
  const rows = (await db.execute(sql`select id::text as id from tenants order by id`)) as unknown as Array<{
    id: string;
  }>;
  return rows.map((r) => r.id);
}

/**
 * Deletes up to `limit` of the oldest task events with id <= `upToId`, created more than `olderThanMs` ago,
 * of the given tenants or (`'untenanted'`) of no tenant. Returns how many went. Uses the outbox's
 * (tenant_id, id) index; see housekeeping.ts for why this rule is safe for every consumer.
 */
export async function pruneTaskEvents(
  engineSql: EngineSql,
  q: { upToId: number; olderThanMs: number; tenants: string[] | 'untenanted'; limit: number },
): Promise<number> {
  const scope =
    q.tenants === 'untenanted'
      ? engineSql`tenant_id is null`
      : engineSql`tenant_id = any(${q.tenants}::text[])`;
  const result = await engineSql`
    delete from task_event_outbox
     where id in (select id from task_event_outbox
                   where ${scope} and id <= ${q.upToId}
                     and created_at < now() - ${q.olderThanMs} * interval '1 millisecond'
                   order by id
                   limit ${q.limit})`;
  return result.count;
}
