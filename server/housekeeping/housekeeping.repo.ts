import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import type { DbOrTx } from '../db/client.ts';

/** A connection pool on the engine's own PostgreSQL database (where task_event_outbox lives). */
export type EngineSql = ReturnType<typeof postgres>;

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
