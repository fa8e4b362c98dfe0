/** User tasks: finding them, who may take them, and claiming, handing over and completing them. */
import { EngineError, retryingConflicts } from './errors.ts';
import type { EngineTransport } from './transport.ts';
import { toTypedVariables, type Variables } from './variables.ts';

export interface EngineTask {
  id: string;
  name: string;
  assignee: string | null;
  created: string;
  due: string | null;
  processInstanceId: string;
  processDefinitionId: string;
  taskDefinitionKey: string;
  tenantId: string | null;
  description: string | null;
}

export interface TaskQuery {
  tenantIdIn: string[];
  assignee?: string;
  candidateGroups?: string[];
  /** Also tasks assigned to someone (for group views). */
  includeAssignedTasks?: boolean;
  processInstanceId?: string;
  processInstanceBusinessKey?: string;
  /** Only these tasks (whether they still exist). */
  taskIdIn?: string[];
  sorting?: Array<{ sortBy: 'dueDate' | 'created'; sortOrder: 'asc' | 'desc' }>;
}

export function queryTasks(
  t: EngineTransport,
  q: TaskQuery,
  page: { firstResult: number; maxResults: number },
): Promise<EngineTask[]> {
  const params = new URLSearchParams({
    firstResult: String(page.firstResult),
    maxResults: String(page.maxResults),
  });
  return t.request('POST', `/task?${params}`, q);
}

export async function countTasks(t: EngineTransport, q: TaskQuery): Promise<number> {
  const { sorting: _sorting, ...rest } = q;
  return (await t.request<{ count: number }>('POST', '/task/count', rest)).count;
}

export async function getTask(t: EngineTransport, id: string): Promise<EngineTask | null> {
  try {
    return await t.request<EngineTask>('GET', `/task/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err instanceof EngineError && err.status === 404) return null;
    throw err;
  }
}

/** How a task ended (`completed`, `deleted`, …) and when; null while it runs or when history has none. */
export async function taskEnd(
  t: EngineTransport,
  id: string,
): Promise<{ deleteReason: string | null; endTime: string } | null> {
  const params = new URLSearchParams({ taskId: id });
  const [h] = await t.request<Array<{ deleteReason: string | null; endTime: string | null }>>(
    'GET',
    `/history/task?${params}`,
  );
  return h?.endTime ? { deleteReason: h.deleteReason, endTime: h.endTime } : null;
}

export async function getCandidateGroups(t: EngineTransport, taskId: string): Promise<string[]> {
  const links = await t.request<Array<{ type: string; groupId: string | null }>>(
    'GET',
    `/task/${encodeURIComponent(taskId)}/identity-links?type=candidate`,
  );
  return links.map((l) => l.groupId).filter((g): g is string => !!g);
}

/**
 * Claims, hand-overs and unclaims retry optimistic-locking conflicts like every other change of a task (two
 * submits at once collide in the engine; the second then sees the first's claim, or its own, as it should).
 */
export function claim(t: EngineTransport, taskId: string, userId: string): Promise<void> {
  return retryingConflicts(() => t.request('POST', `/task/${encodeURIComponent(taskId)}/claim`, { userId }));
}

/** Hands a task to another user (or back to its groups with null), whoever holds it now. */
export function setAssignee(t: EngineTransport, taskId: string, userId: string | null): Promise<void> {
  return retryingConflicts(() =>
    t.request('POST', `/task/${encodeURIComponent(taskId)}/assignee`, { userId }),
  );
}

export function unclaim(t: EngineTransport, taskId: string): Promise<void> {
  return retryingConflicts(() => t.request('POST', `/task/${encodeURIComponent(taskId)}/unclaim`, {}));
}

export function complete(t: EngineTransport, taskId: string, variables: Variables): Promise<void> {
  return retryingConflicts(() =>
    t.request('POST', `/task/${encodeURIComponent(taskId)}/complete`, {
      variables: toTypedVariables(variables),
    }),
  );
}
