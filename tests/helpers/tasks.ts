import { expect } from 'vitest';
import { waitFor } from './wait.ts';

export type Headers = { authorization: string };

/**
 * What the helpers need of a test's system: its API through `app.inject` — the in-process app of a TestContext, or
 * a system a test started itself, called over HTTP (tests/ops/system.ts).
 */
export interface ApiCaller {
  app: {
    inject(req: {
      method: 'GET' | 'POST';
      url: string;
      headers: Headers;
      payload?: Record<string, unknown>;
    }): Promise<{ statusCode: number; body: string; json<T>(): T }>;
  };
}

/** The open task `name` of case `number` among the caller's groups, once the inbox read model shows it. */
export function taskFor(t: ApiCaller, headers: Headers, number: string, name: string, timeoutMs = 30_000) {
  return waitFor(async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/tasks?scope=groups&pageSize=100', headers });
    return res
      .json<{
        items: Array<{ id: string; name: string; assignee: string | null; case: { number: string } | null }>;
      }>()
      .items.find((x) => x.case?.number === number && x.name === name);
  }, timeoutMs);
}

/** Claims that task as the caller, as the inbox's "Preiau sarcina" does. */
export async function claimTask(
  t: ApiCaller,
  headers: Headers,
  number: string,
  name: string,
  timeoutMs?: number,
) {
  const task = await taskFor(t, headers, number, name, timeoutMs);
  const r = await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/claim`, headers });
  expect(r.statusCode, r.body).toBe(200);
  return task;
}

/** Claims and completes that task with the form's `payload`; both must succeed. */
export async function completeTask(
  t: ApiCaller,
  headers: Headers,
  number: string,
  name: string,
  payload: Record<string, unknown>,
  timeoutMs?: number,
) {
  const task = await claimTask(t, headers, number, name, timeoutMs);
  const r = await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/complete`, headers, payload });
  expect(r.statusCode, `${name}: ${r.body}`).toBe(200);
}

/**
 * An officer working their groups' inbox under load (tests/chaos): takes the first open task whose definition key
 * is one of `keys` (their forms all take `payload`), claims and completes it with `payload`, and says how it went instead of asserting, because in a cluster
 * under `kill -9` a claim or a completion may fail and is then simply not counted. Null when there was none.
 */
export async function workNextTask(
  t: ApiCaller,
  headers: Headers,
  keys: string[],
  payload: Record<string, unknown>,
  /** More of the inbox's filters, e.g. `channel=email`, so the task is among the first page. */
  filter = '',
): Promise<{ taskId: string; outcome: 'completed' | 'claim-failed' | 'complete-failed' } | null> {
  const url = `/api/tasks?scope=groups&pageSize=20${filter ? `&${filter}` : ''}`;
  const list = await t.app.inject({ method: 'GET', url, headers });
  if (list.statusCode !== 200) return null;
  const task = list
    .json<{ items: Array<{ id: string; taskDefinitionKey: string }> }>()
    .items.find((x) => keys.includes(x.taskDefinitionKey));
  if (!task) return null;
  const claim = await t.app.inject({ method: 'POST', url: `/api/tasks/${task.id}/claim`, headers });
  if (claim.statusCode !== 200) return { taskId: task.id, outcome: 'claim-failed' };
  const done = await t.app.inject({
    method: 'POST',
    url: `/api/tasks/${task.id}/complete`,
    headers,
    payload,
  });
  return { taskId: task.id, outcome: done.statusCode === 200 ? 'completed' : 'complete-failed' };
}
