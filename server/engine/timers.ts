/** Timer jobs of an instance: where a clock stands, and moving its timers when a due date moves. */
import { retryingConflicts } from './errors.ts';
import type { EngineTransport } from './transport.ts';

/**
 * Moves the pending timers of an instance's activities (e.g. the legal clock's timer start events when the due
 * date moved) to new instants. Returns how many timer jobs moved; an activity without a pending timer is skipped.
 */
export async function moveTimers(
  t: EngineTransport,
  processInstanceId: string,
  dueByActivity: Record<string, string>,
): Promise<number> {
  let moved = 0;
  for (const [activityId, due] of Object.entries(dueByActivity)) {
    const params = new URLSearchParams({ processInstanceId, activityId, timers: 'true' });
    const jobs = await t.request<Array<{ id: string; dueDate: string | null }>>('GET', `/job?${params}`);
    // The REST API takes `yyyy-MM-dd'T'HH:mm:ss.SSSZ` (offset without a colon).
    const duedate = new Date(due).toISOString().replace('Z', '+0000');
    for (const j of jobs) {
      await retryingConflicts(() =>
        t.request('PUT', `/job/${encodeURIComponent(j.id)}/duedate`, { duedate }),
      );
      moved++;
    }
  }
  return moved;
}

/**
 * Moves every pending timer of these instances that is due at one of the `from` instants to its `to` instant
 * (the case's clock after its due date was recomputed, whatever activity holds the timer). Idempotent: a timer
 * already moved no longer matches. Returns how many moved.
 */
export async function moveTimersDueAt(
  t: EngineTransport,
  processInstanceIds: string[],
  moves: Array<{ from: string; to: string }>,
): Promise<number> {
  const byFrom = new Map(moves.filter((m) => m.from !== m.to).map((m) => [Date.parse(m.from), m.to]));
  if (byFrom.size === 0) return 0;
  let moved = 0;
  for (const processInstanceId of processInstanceIds) {
    const params = new URLSearchParams({ processInstanceId, timers: 'true' });
    const jobs = await t.request<Array<{ id: string; dueDate: string | null }>>('GET', `/job?${params}`);
    for (const j of jobs) {
      const to = j.dueDate
        ? byFrom.get(Date.parse(j.dueDate.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')))
        : undefined;
      if (!to) continue;
      const duedate = new Date(to).toISOString().replace('Z', '+0000');
      await t.request('PUT', `/job/${encodeURIComponent(j.id)}/duedate`, { duedate });
      moved++;
    }
  }
  return moved;
}

/** Pending timer jobs of an instance's activity (their due instants), e.g. to check where a clock stands. */
export async function timerDueDates(
  t: EngineTransport,
  processInstanceId: string,
  activityId: string,
): Promise<string[]> {
  const params = new URLSearchParams({ processInstanceId, activityId, timers: 'true' });
  const jobs = await t.request<Array<{ dueDate: string | null }>>('GET', `/job?${params}`);
  return jobs.map((j) => j.dueDate).filter((d): d is string => !!d);
}
