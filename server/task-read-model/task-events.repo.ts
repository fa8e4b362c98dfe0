import { sql } from 'drizzle-orm';
import type postgres from 'postgres';
import { BUSINESS_TZ } from '../codes/business-date.ts';
import type { DbOrTx } from '../db/client.ts';

/** One row of the engine's task_event_outbox (written by deploy/engine TaskEventOutboxPlugin). */
export interface TaskEvent {
  id: number;
  eventType: string;
  taskId: string;
  tenantId: string | null;
  processInstanceId: string | null;
  businessKey: string | null;
  taskDefinitionKey: string | null;
  name: string | null;
  assignee: string | null;
  candidateGroups: string | null;
  dueDate: Date | null;
  createdAt: Date;
}

type EngineSql = ReturnType<typeof postgres>;

/** Events after `afterId` (up to `limit`) plus the ones named in `ids` (gaps that may have filled since). */
export async function readTaskEvents(
  engineSql: EngineSql,
  afterId: number,
  limit: number,
  ids: number[] = [],
): Promise<TaskEvent[]> {
  const rows = await engineSql<Array<Record<string, unknown>>>`
    (select * from task_event_outbox where id > ${afterId} order by id limit ${limit})
    union all
    (select * from task_event_outbox where id = any(${ids}::bigint[]) and id <= ${afterId})
    order by id`;
  return rows.map((r) => ({
    id: Number(r.id),
    eventType: String(r.event_type),
    taskId: String(r.task_id),
    tenantId: (r.tenant_id as string | null) ?? null,
    processInstanceId: (r.process_instance_id as string | null) ?? null,
    businessKey: (r.business_key as string | null) ?? null,
    taskDefinitionKey: (r.task_definition_key as string | null) ?? null,
    name: (r.name as string | null) ?? null,
    assignee: (r.assignee as string | null) ?? null,
    candidateGroups: (r.candidate_groups as string | null) ?? null,
    dueDate: (r.due_date as Date | null) ?? null,
    createdAt: r.created_at as Date,
  }));
}

/**
 * A case's task is due when the case is (every user task of the complaint processes has
 * `camunda:dueDate="${dueAt}"`, enforced by the designer lint), so its due instant is taken from the case's current
 * due date, not from the engine task: the engine fixes a task's due date when the task is created and does not
 * move it when an approved extension, a pause for completion or a reclassification moves the case's deadline (nor
 * does a call activity's copy of `dueAt` follow). The end of the due day in Europe/Bucharest (as endOfBusinessDay).
 */
// eslint-disable-next-line house/no-sql-raw -- a constant expression of the code, no input: BUSINESS_TZ is the zone's name, written as a literal like the rest of the statement; it reads the joined case and writes nothing.
const CASE_DUE_AT = sql.raw(
  `((c.due_date + 1)::timestamp at time zone '${BUSINESS_TZ}' - interval '1 millisecond')`,
);

function stateOf(eventType: string): 'open' | 'completed' | 'deleted' {
  if (eventType === 'complete') return 'completed';
  if (eventType === 'delete') return 'deleted';
  return 'open';
}

/**
 * Applies events to the read model in one statement. Events of one task are reduced to the newest (its fields
 * are the task's whole current state); a row already at a newer event is left alone, so replays are harmless.
 * Events of tenants this database does not hold are skipped (one engine may serve several installations).
 *
 * `rebuild`: the events are the engine's current tasks read after the consumer's cursor reached their id
 * (rebuild.ts), so they are at least as new as any event with that id or a lower one: a row at the same event id
 * is replaced too, and only when it differs (the count is then the rows repaired). A row at a newer event is
 * still left alone.
 */
export async function applyTaskEvents(
  db: DbOrTx,
  events: TaskEvent[],
  opts: { rebuild?: boolean } = {},
): Promise<number> {
  const newest = new Map<string, TaskEvent & { firstAt: Date }>();
  for (const e of events) {
    if (!e.tenantId || !e.processInstanceId) continue;
    const prev = newest.get(e.taskId);
    if (!prev) newest.set(e.taskId, { ...e, firstAt: e.createdAt });
    else if (e.id > prev.id) newest.set(e.taskId, { ...e, firstAt: prev.firstAt });
  }
  if (newest.size === 0) return 0;
  const payload = [...newest.values()].map((e) => ({
    event_id: e.id,
    task_id: e.taskId,
    tenant_id: e.tenantId,
    process_instance_id: e.processInstanceId,
    business_key: e.businessKey,
    task_definition_key: e.taskDefinitionKey ?? '',
    name: e.name ?? e.taskDefinitionKey ?? '',
    assignee: e.assignee,
    candidate_groups: e.candidateGroups ? e.candidateGroups.split(',').filter(Boolean) : [],
    due_at: e.dueDate?.toISOString() ?? null,
    created_at: e.firstAt.toISOString(),
    at: e.createdAt.toISOString(),
    state: stateOf(e.eventType),
  }));
  const result = await db.execute(sql`
    insert into tasks as t (
      id, tenant_id, case_id, case_number, process_instance_id, task_definition_key, name, assignee,
      candidate_groups, due_at, created_at, state, ended_at, last_event_id, category, channel, case_due_date,
      case_status, place_code, customer_name, subject, search_text, updated_at)
    select e.task_id, tn.id, c.id, coalesce(c.number, e.business_key), e.process_instance_id,
      e.task_definition_key, e.name, e.assignee, e.candidate_groups,
      coalesce(${CASE_DUE_AT}, e.due_at, 'infinity'),
      e.created_at, e.state, case when e.state = 'open' then null else e.at end, e.event_id,
      c.category, c.channel, c.due_date, c.status, p.place_code, c.contact_name, c.subject,
      inbox_norm(concat_ws(' ', coalesce(c.number, e.business_key), c.contact_name, c.subject, p.place_code, e.name)),
      now()
    from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as e(
      event_id bigint, task_id text, tenant_id text, process_instance_id text, business_key text,
      task_definition_key text, name text, assignee text, candidate_groups text[], due_at timestamptz,
      created_at timestamptz, at timestamptz, state text)
    join tenants tn on tn.id::text = e.tenant_id
    left join cases c on c.tenant_id = tn.id and c.number = e.business_key
    left join places p on p.id = c.place_id
    on conflict (id) do update set
      name = excluded.name, assignee = excluded.assignee, candidate_groups = excluded.candidate_groups,
      due_at = excluded.due_at, state = excluded.state, ended_at = excluded.ended_at,
      last_event_id = excluded.last_event_id, case_id = coalesce(t.case_id, excluded.case_id),
      case_number = excluded.case_number, category = excluded.category, channel = excluded.channel,
      case_due_date = excluded.case_due_date, case_status = excluded.case_status,
      place_code = excluded.place_code, customer_name = excluded.customer_name, subject = excluded.subject,
      search_text = excluded.search_text, updated_at = now()
    where ${
      opts.rebuild
        ? // Candidate groups compared as sets: the engine lists them in no fixed order.
          sql`t.last_event_id <= excluded.last_event_id and ((t.state, t.assignee, t.due_at, t.name,
            t.case_number, t.process_instance_id) is distinct from (excluded.state, excluded.assignee,
            excluded.due_at, excluded.name, excluded.case_number, excluded.process_instance_id)
            or not (t.candidate_groups @> excluded.candidate_groups and t.candidate_groups <@ excluded.candidate_groups))`
        : sql`t.last_event_id < excluded.last_event_id`
    }`);
  return (result as unknown as { count: number }).count ?? 0;
}

/** Locks the consumer's cursor row for this transaction; null when another replica holds it right now. */
export async function lockCursor(tx: DbOrTx): Promise<number | null> {
  await tx.execute(
    sql`insert into task_event_cursor (id, last_event_id) values (1, 0) on conflict do nothing`,
  );
  const rows = (await tx.execute(
    sql`select last_event_id from task_event_cursor where id = 1 for update skip locked`,
  )) as unknown as Array<{ last_event_id: string | number }>;
  return rows.length ? Number(rows[0]!.last_event_id) : null;
}

export async function saveCursor(tx: DbOrTx, lastEventId: number): Promise<void> {
  await tx.execute(
    sql`update task_event_cursor set last_event_id = ${lastEventId}, updated_at = now() where id = 1`,
  );
}

/**
 * The case's deadline or category changed (extension, completion pause, reclassification): its open tasks follow at
 * once, in the transaction that changed the case. Later engine events of these tasks take the due date from the
 * case too (applyTaskEvents), so the engine's stale task due date never comes back.
 */
export async function refreshCaseTasks(db: DbOrTx, tenantId: string, caseId: string) {
  await db.execute(sql`
    update tasks t set due_at = ${CASE_DUE_AT}, case_due_date = c.due_date, category = c.category,
      updated_at = now()
    from cases c
    where c.id = ${caseId} and c.tenant_id = ${tenantId} and t.tenant_id = ${tenantId} and t.case_id = c.id
      and t.state = 'open'`);
}

/** The task as the engine says it is now, written at once after a claim/unclaim/delegate made here. */
export async function setTaskAssignee(db: DbOrTx, tenantId: string, taskId: string, assignee: string | null) {
  await db.execute(
    sql`update tasks set assignee = ${assignee}, updated_at = now() where id = ${taskId} and tenant_id = ${tenantId}`,
  );
}

/** The task was completed here: it leaves the open views at once (the engine's event confirms it later). */
export async function markTaskCompleted(db: DbOrTx, tenantId: string, taskId: string) {
  await db.execute(
    sql`update tasks set state = 'completed', ended_at = now(), updated_at = now()
        where id = ${taskId} and tenant_id = ${tenantId} and state = 'open'`,
  );
}

/** The consumer's committed cursor: every engine task event up to it has been applied (or given up on). */
export async function readCursor(db: DbOrTx): Promise<number> {
  const rows = (await db.execute(
    sql`select last_event_id from task_event_cursor where id = 1`,
  )) as unknown as Array<{ last_event_id: string | number }>;
  return rows.length ? Number(rows[0]!.last_event_id) : 0;
}

export async function countOpenTasks(db: DbOrTx, tenantId: string): Promise<number> {
  const rows = (await db.execute(
    sql`select count(*)::int as n from tasks where tenant_id = ${tenantId} and state = 'open'`,
  )) as unknown as Array<{ n: number }>;
  return rows[0]?.n ?? 0;
}

/** Open rows no event newer than `upToEventId` has touched: the ones a rebuild at that cursor may close. */
export async function openTaskIdsUpTo(db: DbOrTx, tenantId: string, upToEventId: number): Promise<string[]> {
  const rows = (await db.execute(
    sql`select id from tasks where tenant_id = ${tenantId} and state = 'open' and last_event_id <= ${upToEventId}`,
  )) as unknown as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

/**
 * Closes open rows whose task the engine no longer has (a missed complete or delete event). The event id stays,
 * so the missed event, should it still arrive, is applied over this (its end time is the true one).
 */
export async function closeTasks(
  db: DbOrTx,
  tenantId: string,
  closes: Array<{ id: string; state: 'completed' | 'deleted'; endedAt: Date }>,
  upToEventId: number,
): Promise<number> {
  if (closes.length === 0) return 0;
  const payload = closes.map((c) => ({ id: c.id, state: c.state, ended_at: c.endedAt.toISOString() }));
  const result = await db.execute(sql`
    update tasks t set state = c.state, ended_at = c.ended_at, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(payload)}::jsonb) as c(id text, state text, ended_at timestamptz)
    where t.id = c.id and t.tenant_id = ${tenantId} and t.state = 'open' and t.last_event_id <= ${upToEventId}`);
  return (result as unknown as { count: number }).count ?? 0;
}
