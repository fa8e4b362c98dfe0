import { appendAudit } from '../audit/index.ts';
import type { Principal } from '../auth/index.ts';
import type { Db } from '../db/client.ts';
import { EngineError, type EngineClient } from '../engine/client.ts';
import {
  externalTaskError,
  getIncident,
  incidentDetails,
  listIncidents,
  retryIncident,
  runningInstances,
} from '../engine/supervision.ts';
import { DomainError } from '../errors.ts';

/** Incidents of failed worker jobs, with their case and the error, and a retry (audited). */
export function createIncidentsView(deps: { db: Db; engine: EngineClient }) {
  const { db, engine } = deps;

  async function incidents(p: Principal) {
    const list = await listIncidents(engine, p.tenantId);
    const instances = await runningInstances(engine, p.tenantId, [
      ...new Set(list.map((i) => i.rootProcessInstanceId ?? i.processInstanceId)),
    ]).catch(() => []);
    const keys = new Map(instances.map((i) => [i.id, i.businessKey]));
    return Promise.all(
      list.map(async (i) => ({
        id: i.id,
        type: i.incidentType,
        at: i.incidentTimestamp,
        activityId: i.failedActivityId ?? i.activityId,
        message:
          i.incidentMessage ??
          (i.incidentType === 'failedExternalTask' && i.configuration
            ? await externalTaskError(engine, i.configuration).catch(() => null)
            : null),
        details: await incidentDetails(engine, i).catch(() => null),
        caseNumber: keys.get(i.rootProcessInstanceId ?? i.processInstanceId) ?? null,
      })),
    );
  }

  async function retry(p: Principal, incidentId: string) {
    const i = await getIncident(engine, p.tenantId, incidentId);
    if (!i) throw new DomainError('INCIDENT_NOT_FOUND');
    try {
      await retryIncident(engine, i);
    } catch (err) {
      if (err instanceof EngineError && err.status === 404) throw new DomainError('INCIDENT_NOT_FOUND');
      throw err;
    }
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'incident.retried',
      entityType: 'incident',
      entityId: incidentId,
      details: { type: i.incidentType, activityId: i.activityId },
    });
    return { id: incidentId, retried: true };
  }

  return { incidents, retry };
}
