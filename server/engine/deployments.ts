/**
 * Deployments and what they hold: deploying models, the definitions and their XML, and how many instances run or
 * wait where.
 */
import { EngineError } from './errors.ts';
import type { EngineTransport } from './transport.ts';

export interface Deployment {
  id: string;
  name: string;
  /** Who deployed it: `reclamatii-baseline`, `reclamatii-designer`, `reclamatii-reset`. */
  source: string | null;
  tenantId: string | null;
  deploymentTime: string;
}

/** A process or decision definition (the fields both share in the REST API). */
export interface Definition {
  id: string;
  key: string;
  name: string | null;
  version: number;
  resource: string;
  deploymentId: string;
  tenantId: string | null;
}

export interface ActivityStatistics {
  /** The activity id. */
  id: string;
  /** Instances waiting in this activity now. */
  instances: number;
  failedJobs: number;
  incidents: Array<{ incidentType: string; incidentCount: number }>;
}

export function engineInfo(t: EngineTransport): Promise<Array<{ name: string }>> {
  return t.request('GET', '/engine');
}

export async function deploy(
  t: EngineTransport,
  opts: {
    tenantId: string;
    name: string;
    source: string;
    files: Array<{ name: string; content: string }>;
    /** Skip when nothing changed since the last deployment of that name (the engine compares resources). */
    duplicateFiltering?: boolean;
  },
): Promise<
  Deployment & {
    deployedProcessDefinitions: Record<string, { id: string; key: string; version: number }> | null;
  }
> {
  // Only process models and decision tables ever reach the engine: no scripts, classes or other resources a
  // BPMN could point to (`camunda:resource="deployment://…"`), whoever calls this.
  for (const f of opts.files)
    if (!f.name.endsWith('.bpmn') && !f.name.endsWith('.dmn'))
      throw new Error(`refused to deploy ${f.name}: only .bpmn and .dmn resources are deployed`);
  const form = new FormData();
  form.set('deployment-name', opts.name);
  form.set('deployment-source', opts.source);
  form.set('tenant-id', opts.tenantId);
  form.set('enable-duplicate-filtering', String(opts.duplicateFiltering ?? true));
  // Without duplicate filtering every call is a new version (designer deployments, reset to baseline).
  form.set('deploy-changed-only', String(opts.duplicateFiltering ?? true));
  for (const f of opts.files) form.set(f.name, new Blob([f.content], { type: 'application/xml' }), f.name);
  return t.request('POST', '/deployment/create', undefined, form);
}

export function listDeployments(t: EngineTransport, tenantId: string): Promise<Deployment[]> {
  return t.request(
    'GET',
    `/deployment?tenantIdIn=${encodeURIComponent(tenantId)}&sortBy=deploymentTime&sortOrder=desc`,
  );
}

export async function getBpmnXml(t: EngineTransport, processDefinitionId: string): Promise<string> {
  const r = await t.request<{ bpmn20Xml: string }>(
    'GET',
    `/process-definition/${encodeURIComponent(processDefinitionId)}/xml`,
  );
  return r.bpmn20Xml;
}

export function listProcessDefinitions(t: EngineTransport, tenantId: string): Promise<Definition[]> {
  const params = new URLSearchParams({ tenantIdIn: tenantId, sortBy: 'version', sortOrder: 'desc' });
  return t.request('GET', `/process-definition?${params}`);
}

export function listDecisionDefinitions(t: EngineTransport, tenantId: string): Promise<Definition[]> {
  const params = new URLSearchParams({ tenantIdIn: tenantId, sortBy: 'version', sortOrder: 'desc' });
  return t.request('GET', `/decision-definition?${params}`);
}

/** A process or decision definition by id, or null when there is none. */
export async function getDefinition(
  t: EngineTransport,
  kind: 'process' | 'decision',
  id: string,
): Promise<Definition | null> {
  try {
    return await t.request<Definition>('GET', `/${kind}-definition/${encodeURIComponent(id)}`);
  } catch (err) {
    if (err instanceof EngineError && err.status === 404) return null;
    throw err;
  }
}

export async function getDmnXml(t: EngineTransport, decisionDefinitionId: string): Promise<string> {
  const r = await t.request<{ dmnXml: string }>(
    'GET',
    `/decision-definition/${encodeURIComponent(decisionDefinitionId)}/xml`,
  );
  return r.dmnXml;
}

/**
 * Running instances of each of these process definitions of one tenant. One indexed count per definition: the
 * engine's /process-definition/statistics has no tenant filter and grows with every tenant's definitions.
 */
export async function runningInstanceCounts(
  t: EngineTransport,
  tenantId: string,
  processDefinitionIds: string[],
): Promise<Map<string, number>> {
  const counts = await Promise.all(
    processDefinitionIds.map(async (id) => {
      const q = new URLSearchParams({ processDefinitionId: id, tenantIdIn: tenantId });
      const r = await t.request<{ count: number }>('GET', `/process-instance/count?${q}`);
      return [id, r.count] as const;
    }),
  );
  return new Map(counts);
}

/** Per activity of one process definition: how many instances wait there now. */
export function activityStatistics(
  t: EngineTransport,
  processDefinitionId: string,
): Promise<ActivityStatistics[]> {
  return t.request(
    'GET',
    `/process-definition/${encodeURIComponent(processDefinitionId)}/statistics?incidents=true`,
  );
}
