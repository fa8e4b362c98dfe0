import { EngineError, type EngineClient } from './client.ts';
import { transportOf } from './transport.ts';

/**
 * What the supervisor view asks the engine: incidents (failed external tasks and jobs) with their error, retrying
 * them, and the historic instances of a case (called sub-processes included), through the client's transport
 * (transportOf: raw REST calls stay inside server/engine).
 */
export interface EngineIncident {
  id: string;
  incidentType: 'failedExternalTask' | 'failedJob' | string;
  incidentTimestamp: string;
  incidentMessage: string | null;
  activityId: string | null;
  failedActivityId?: string | null;
  processInstanceId: string;
  processDefinitionId: string;
  rootProcessInstanceId?: string | null;
  /** Incidents propagate up the call hierarchy: each call activity gets one caused by the sub-process's. */
  causeIncidentId?: string | null;
  rootCauseIncidentId?: string | null;
  /** The external task id (failedExternalTask) or the job id (failedJob). */
  configuration: string | null;
  tenantId: string | null;
}

/** The root-cause incidents of a tenant (not their copies on the calling activities), newest first. */
export async function listIncidents(engine: EngineClient, tenantId: string): Promise<EngineIncident[]> {
  const params = new URLSearchParams({
    tenantIdIn: tenantId,
    sortBy: 'incidentTimestamp',
    sortOrder: 'desc',
    maxResults: '500',
  });
  const all = await transportOf(engine).request<EngineIncident[]>('GET', `/incident?${params}`);
  return all.filter((i) => !i.rootCauseIncidentId || i.rootCauseIncidentId === i.id);
}

export async function getIncident(
  engine: EngineClient,
  tenantId: string,
  id: string,
): Promise<EngineIncident | null> {
  const params = new URLSearchParams({ incidentId: id, tenantIdIn: tenantId });
  const [i] = await transportOf(engine).request<EngineIncident[]>('GET', `/incident?${params}`);
  if (!i) return null;
  // A copy on a calling activity: retrying means retrying its root cause.
  if (i.rootCauseIncidentId && i.rootCauseIncidentId !== i.id)
    return getIncident(engine, tenantId, i.rootCauseIncidentId);
  return i;
}

/** The worker's stack trace of a failed external task, or the job's exception. */
export async function incidentDetails(engine: EngineClient, i: EngineIncident): Promise<string | null> {
  if (!i.configuration) return null;
  const path =
    i.incidentType === 'failedExternalTask'
      ? `/external-task/${encodeURIComponent(i.configuration)}/errorDetails`
      : i.incidentType === 'failedJob'
        ? `/job/${encodeURIComponent(i.configuration)}/stacktrace`
        : null;
  if (!path) return null;
  try {
    return (await transportOf(engine).requestText('GET', path)).slice(0, 4000);
  } catch (err) {
    // Gone since the list was read (retried and resolved), or none recorded: no details to show.
    if (err instanceof EngineError && err.status >= 400) return null;
    throw err;
  }
}

/** The worker's error message of a failed external task (the incident itself may carry none). */
export async function externalTaskError(
  engine: EngineClient,
  externalTaskId: string,
): Promise<string | null> {
  try {
    const t = await transportOf(engine).request<{ errorMessage: string | null }>(
      'GET',
      `/external-task/${encodeURIComponent(externalTaskId)}`,
    );
    return t.errorMessage ?? null;
  } catch (err) {
    if (err instanceof EngineError && err.status === 404) return null;
    throw err;
  }
}

/** Gives the failed external task or job one more attempt: the engine resolves the incident and workers pick it up. */
export async function retryIncident(engine: EngineClient, i: EngineIncident, retries = 1): Promise<void> {
  if (!i.configuration) throw new EngineError(400, 'BadRequest', 'incident has no task or job');
  if (i.incidentType === 'failedExternalTask') {
    const id = encodeURIComponent(i.configuration);
    // The last failure left a lock (its retry back-off): release it so a worker takes the task at once.
    await transportOf(engine).request('POST', `/external-task/${id}/unlock`);
    return transportOf(engine).request('PUT', `/external-task/${id}/retries`, { retries });
  }
  if (i.incidentType === 'failedJob')
    return transportOf(engine).request('PUT', `/job/${encodeURIComponent(i.configuration)}/retries`, {
      retries,
    });
  throw new EngineError(400, 'BadRequest', `incidents of type ${i.incidentType} cannot be retried`);
}

export interface HistoricInstance {
  id: string;
  businessKey: string | null;
  processDefinitionId: string;
  processDefinitionKey: string;
  processDefinitionVersion: number | null;
  superProcessInstanceId: string | null;
  state: string;
}

/** Every instance of a case, running or ended, called sub-processes included (they share the business key). */
export function caseInstances(
  engine: EngineClient,
  tenantId: string,
  number: string,
): Promise<HistoricInstance[]> {
  return transportOf(engine).request('POST', '/history/process-instance', {
    processInstanceBusinessKey: number,
    tenantIdIn: [tenantId],
  });
}

/** Running instances by id (for the business keys of incidents). */
export function runningInstances(
  engine: EngineClient,
  tenantId: string,
  ids: string[],
): Promise<Array<{ id: string; businessKey: string | null }>> {
  if (ids.length === 0) return Promise.resolve([]);
  return transportOf(engine).request('POST', '/process-instance', {
    processInstanceIds: ids,
    tenantIdIn: [tenantId],
  });
}
