/** Process instances: starting one, delivering a message, finding them (running and ended), their history. */
import { EngineError, retryingConflicts } from './errors.ts';
import type { EngineTransport } from './transport.ts';
import { toTypedVariables, type Variables } from './variables.ts';

export interface ProcessInstance {
  id: string;
  businessKey: string | null;
  definitionId: string;
  tenantId: string | null;
  ended: boolean;
}

export interface HistoricActivity {
  id: string;
  activityId: string;
  activityName: string | null;
  activityType: string;
  assignee: string | null;
  startTime: string;
  endTime: string | null;
  canceled: boolean;
}

export function startProcess(
  t: EngineTransport,
  opts: {
    key: string;
    tenantId: string;
    businessKey: string;
    variables: Variables;
  },
): Promise<{ id: string; businessKey: string; definitionId: string }> {
  return t.request(
    'POST',
    `/process-definition/key/${encodeURIComponent(opts.key)}/tenant-id/${encodeURIComponent(opts.tenantId)}/start`,
    { businessKey: opts.businessKey, variables: toTypedVariables(opts.variables) },
  );
}

/**
 * Correlates a BPMN message to the running instance with this business key. Returns false when no instance
 * waits for it (e.g. the case is already closed); other failures throw.
 */
export async function correlateMessage(
  t: EngineTransport,
  opts: {
    messageName: string;
    tenantId: string;
    businessKey: string;
    variables?: Variables;
    /**
     * Deliver to every waiting subscription of the instance (e.g. the case-wide "information added" event
     * sub-process and a wait for the consumer's completion at once); false when none waits.
     */
    all?: boolean;
  },
): Promise<boolean> {
  try {
    // A conflict with the job executor (a timer of the same instance firing) rolled everything back: retry.
    const results = await retryingConflicts(() =>
      t.request<unknown[] | undefined>('POST', '/message', {
        messageName: opts.messageName,
        businessKey: opts.businessKey,
        tenantId: opts.tenantId,
        processVariables: toTypedVariables(opts.variables ?? {}),
        ...(opts.all ? { all: true, resultEnabled: true } : {}),
      }),
    );
    if (opts.all) return Array.isArray(results) && results.length > 0;
    return true;
  } catch (err) {
    // Nothing waits for this message: the engine says so as a MismatchingMessageCorrelationException, or (when
    // no execution matches at all) as a RestException "No process definition or execution matches".
    if (
      err instanceof EngineError &&
      err.status === 400 &&
      (/MismatchingMessageCorrelation/.test(err.engineType ?? '') ||
        /No process definition or execution matches/i.test(err.message))
    )
      return false;
    throw err;
  }
}

export function findProcessInstances(
  t: EngineTransport,
  q: { businessKey: string; tenantId: string },
): Promise<ProcessInstance[]> {
  return t.request('POST', '/process-instance', {
    businessKey: q.businessKey,
    tenantIdIn: [q.tenantId],
  });
}

/** Running and ended instances; `processDefinitionKey` keeps called sub-processes (same business key) out. */
export function findHistoricProcessInstances(
  t: EngineTransport,
  q: {
    businessKey: string;
    tenantId: string;
    processDefinitionKey?: string;
  },
): Promise<Array<{ id: string; businessKey: string; state: string }>> {
  return t.request('POST', '/history/process-instance', {
    processInstanceBusinessKey: q.businessKey,
    tenantIdIn: [q.tenantId],
    ...(q.processDefinitionKey ? { processDefinitionKey: q.processDefinitionKey } : {}),
  });
}

export function activityHistory(t: EngineTransport, processInstanceId: string): Promise<HistoricActivity[]> {
  const params = new URLSearchParams({ processInstanceId, sortBy: 'startTime', sortOrder: 'asc' });
  return t.request('GET', `/history/activity-instance?${params}`);
}

export function deleteProcessInstance(t: EngineTransport, id: string, reason: string): Promise<void> {
  const params = new URLSearchParams({ skipCustomListeners: 'true', deleteReason: reason });
  return t.request('DELETE', `/process-instance/${encodeURIComponent(id)}?${params}`);
}

/** Running instances by id (sub-process instances included), for their business keys. */
export function processInstancesByIds(
  t: EngineTransport,
  tenantId: string,
  ids: string[],
): Promise<ProcessInstance[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return t.request('POST', '/process-instance', { processInstanceIds: ids, tenantIdIn: [tenantId] });
}

/** The ids of the activities an instance is in now (leaves of its activity instance tree). */
export async function activeActivityIds(t: EngineTransport, processInstanceId: string): Promise<string[]> {
  interface Node {
    activityId: string;
    childActivityInstances: Node[];
  }
  const tree = await t.request<Node>(
    'GET',
    `/process-instance/${encodeURIComponent(processInstanceId)}/activity-instances`,
  );
  const out: string[] = [];
  const walk = (n: Node) => {
    if (!n.childActivityInstances.length) out.push(n.activityId);
    n.childActivityInstances.forEach(walk);
  };
  tree.childActivityInstances.forEach(walk);
  return out;
}
