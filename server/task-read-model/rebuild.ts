/**
 * Rebuilds the inbox read model (`tasks`) from the engine, for when its consumer missed events (an event lost from
 * the outbox, a hole given up on, a row changed by hand): `npm run rebuild:inbox`, and a check at start.
 *
 * Safe while the consumer runs. The rebuild first reads the consumer's committed cursor C: every event up to C was
 * committed in the engine before the engine is read, so the engine's tasks read afterwards are at least as new as
 * any of them. The rows it writes carry event id C (the consumer's own upsert, applyTaskEvents, in rebuild mode), so
 *  - a row a newer event (id > C) already wrote is left alone, and
 *  - an event newer than C still arriving is applied over the rebuilt row, as it should.
 * Open rows the engine no longer has are closed only when no newer event touched them, after the engine confirms
 * each one is gone (a paged scan can miss a task when others end meanwhile). Idempotent: a second run changes
 * nothing.
 */
import type { Db } from '../db/client.ts';
import type { EngineClient, EngineTask } from '../engine/client.ts';
import { listTenants } from '../tenants/index.ts';
import {
  applyTaskEvents,
  closeTasks,
  countOpenTasks,
  openTaskIdsUpTo,
  readCursor,
  type TaskEvent,
} from './task-events.repo.ts';
import { withAllTenants, withTenant } from '../db/tenant-scope.ts';

export interface InboxRebuildReport {
  tenants: number;
  /** Open tasks the engine has (all tenants rebuilt). */
  engineOpen: number;
  /** Rows written because they were missing or differed from the engine. */
  repaired: number;
  /** Open rows closed because their task no longer exists in the engine. */
  closed: number;
}

interface Log {
  info(obj: object, msg: string): void;
}

/** The engine's date format (`+0200`, no colon) to a Date. */
function engineDate(s: string): Date {
  return new Date(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

/** A few at a time: one call per task for its candidate groups, without flooding the engine. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}

/** The engine's tasks as task events at event id `eventId`, in the shape the consumer applies. */
async function asEvents(
  engine: EngineClient,
  tenantId: string,
  tasks: EngineTask[],
  eventId: number,
): Promise<TaskEvent[]> {
  const pids = [...new Set(tasks.map((t) => t.processInstanceId))];
  // Called sub-processes carry the case's business key too.
  const instances = await engine.processInstancesByIds(tenantId, pids);
  const keyOf = new Map(instances.map((i) => [i.id, i.businessKey]));
  const groups = await mapLimited(tasks, 8, (t) => engine.getCandidateGroups(t.id));
  return tasks.map((t, i) => ({
    id: eventId,
    eventType: 'rebuild',
    taskId: t.id,
    tenantId: t.tenantId ?? tenantId,
    processInstanceId: t.processInstanceId,
    businessKey: keyOf.get(t.processInstanceId) ?? null,
    taskDefinitionKey: t.taskDefinitionKey,
    name: t.name,
    assignee: t.assignee,
    candidateGroups: groups[i]!.join(','),
    dueDate: t.due ? engineDate(t.due) : null,
    createdAt: engineDate(t.created),
  }));
}

/** Rebuilds one tenant's rows in batches of `batchSize` engine tasks. */
export async function rebuildTenantInbox(
  db: Db,
  engine: EngineClient,
  tenantId: string,
  opts: { batchSize?: number } = {},
): Promise<Omit<InboxRebuildReport, 'tenants'>> {
  return withTenant(tenantId, async () => {
    const batchSize = opts.batchSize ?? 200;
    const upTo = await readCursor(db);
    const seen = new Set<string>();
    let repaired = 0;
    for (let first = 0; ; first += batchSize) {
      const page = await engine.queryTasks(
        { tenantIdIn: [tenantId], sorting: [{ sortBy: 'created', sortOrder: 'asc' }] },
        { firstResult: first, maxResults: batchSize },
      );
      for (const t of page) seen.add(t.id);
      if (page.length)
        repaired += await applyTaskEvents(db, await asEvents(engine, tenantId, page, upTo), {
          rebuild: true,
        });
      if (page.length < batchSize) break;
    }

    const missing = (await openTaskIdsUpTo(db, tenantId, upTo)).filter((id) => !seen.has(id));
    let closed = 0;
    for (let i = 0; i < missing.length; i += batchSize) {
      const ids = missing.slice(i, i + batchSize);
      // Still there after all (the scan's pages moved under it): written like the others.
      const present = await engine.queryTasks(
        { tenantIdIn: [tenantId], taskIdIn: ids },
        { firstResult: 0, maxResults: ids.length },
      );
      if (present.length)
        repaired += await applyTaskEvents(db, await asEvents(engine, tenantId, present, upTo), {
          rebuild: true,
        });
      const presentIds = new Set(present.map((t) => t.id));
      const gone = ids.filter((id) => !presentIds.has(id));
      const closes = await mapLimited(gone, 8, async (id) => {
        const end = await engine.taskEnd(id);
        return {
          id,
          state: end?.deleteReason === 'completed' ? ('completed' as const) : ('deleted' as const),
          endedAt: end ? engineDate(end.endTime) : new Date(),
        };
      });
      closed += await closeTasks(db, tenantId, closes, upTo);
    }
    return { engineOpen: seen.size, repaired, closed };
  });
}

/** Rebuilds every tenant of this database (or the ones named). */
export async function rebuildInbox(
  db: Db,
  engine: EngineClient,
  opts: { tenantIds?: string[]; batchSize?: number } = {},
): Promise<InboxRebuildReport> {
  return withAllTenants('inbox rebuild: lists the tenants', async () => {
    const tenantIds = opts.tenantIds ?? (await listTenants(db)).map((t) => t.id);
    const report: InboxRebuildReport = { tenants: tenantIds.length, engineOpen: 0, repaired: 0, closed: 0 };
    for (const tenantId of tenantIds) {
      const r = await rebuildTenantInbox(db, engine, tenantId, opts);
      report.engineOpen += r.engineOpen;
      report.repaired += r.repaired;
      report.closed += r.closed;
    }
    return report;
  });
}

/**
 * The check at start: per tenant, the engine's open tasks counted against the read model's open rows (after the
 * consumer caught up); a tenant whose counts differ is rebuilt, with one log line. Returns the tenants rebuilt.
 */
export async function checkInboxReadModel(
  db: Db,
  engine: EngineClient,
  log: Log,
  opts: { tenantIds?: string[]; caughtUp?: () => Promise<void> } = {},
): Promise<string[]> {
  return withAllTenants('inbox check at start: every tenant', async () => {
    await opts.caughtUp?.();
    const tenantIds = opts.tenantIds ?? (await listTenants(db)).map((t) => t.id);
    const rebuilt: string[] = [];
    for (const tenantId of tenantIds) {
      const [inEngine, inReadModel] = await Promise.all([
        engine.countTasks({ tenantIdIn: [tenantId] }),
        countOpenTasks(db, tenantId),
      ]);
      if (inEngine === inReadModel) continue;
      const r = await rebuildTenantInbox(db, engine, tenantId);
      rebuilt.push(tenantId);
      log.info(
        { tenantId, inEngine, inReadModel, repaired: r.repaired, closed: r.closed },
        'inbox read model differed from the engine: rebuilt',
      );
    }
    return rebuilt;
  });
}
