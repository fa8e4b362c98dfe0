import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Deployment, EngineClient } from './client.ts';

export const processesDir = fileURLToPath(new URL('../../processes', import.meta.url));

/** Deployment sources: who put a version into the engine. */
export const DEPLOYMENT_SOURCES = {
  baseline: 'reclamatii-baseline',
  /** A tenant's designer deployed it from the browser (deployment name `designer:<file>`). */
  designer: 'reclamatii-designer',
  /** A tenant's designer went back to the baseline of one file (deployment name `reset:<file>`). */
  reset: 'reclamatii-reset',
} as const;

export async function readBaselineProcesses(): Promise<Array<{ name: string; content: string }>> {
  const names = (await readdir(processesDir)).filter((n) => n.endsWith('.bpmn') || n.endsWith('.dmn')).sort();
  return Promise.all(
    names.map(async (name) => ({ name, content: await readFile(`${processesDir}/${name}`, 'utf8') })),
  );
}

/** The resource file a designer or reset deployment is about (from its name), or null for baseline ones. */
export function deploymentResource(d: Pick<Deployment, 'name' | 'source'>): string | null {
  if (d.source !== DEPLOYMENT_SOURCES.designer && d.source !== DEPLOYMENT_SOURCES.reset) return null;
  const i = d.name.indexOf(':');
  return i > 0 ? d.name.slice(i + 1) : null;
}

/**
 * The files whose newest tenant deployment is the designer's (not undone by a reset to the baseline): the tenant
 * runs its own version of them.
 */
export function overriddenResources(deployments: Deployment[]): Set<string> {
  const newest = new Map<string, Deployment>();
  for (const d of deployments) {
    const resource = deploymentResource(d);
    if (!resource) continue;
    const seen = newest.get(resource);
    if (!seen || Date.parse(d.deploymentTime) > Date.parse(seen.deploymentTime)) newest.set(resource, d);
  }
  return new Set([...newest].filter(([, d]) => d.source === DEPLOYMENT_SOURCES.designer).map(([r]) => r));
}

/**
 * Deploys the baseline processes to a tenant. The engine's duplicate filtering (same deployment name and source,
 * changed resources only) makes this a no-op when nothing changed since the last baseline deployment. A file the
 * tenant's designer deployed is left out even when its baseline changed: a restart never overwrites the
 * designer's version (the designer can reset that file to the baseline).
 */
export async function deployBaseline(
  engine: EngineClient,
  tenantId: string,
  baseline?: Array<{ name: string; content: string }>,
): Promise<{ deploymentId: string | null; changed: boolean; kept: string[] }> {
  const [all, deployments] = await Promise.all([
    baseline ?? readBaselineProcesses(),
    engine.listDeployments(tenantId),
  ]);
  const overridden = overriddenResources(deployments);
  const files = all.filter((f) => !overridden.has(f.name));
  const kept = all.filter((f) => overridden.has(f.name)).map((f) => f.name);
  if (files.length === 0) return { deploymentId: null, changed: false, kept };
  const result = await engine.deploy({
    tenantId,
    name: 'baseline',
    source: DEPLOYMENT_SOURCES.baseline,
    files,
  });
  const defs = {
    ...(result.deployedProcessDefinitions ?? {}),
    ...((result as { deployedDecisionDefinitions?: Record<string, unknown> | null })
      .deployedDecisionDefinitions ?? {}),
  };
  return { deploymentId: result.id, changed: Object.keys(defs).length > 0, kept };
}
