import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { EngineClient } from './client.ts';

export const processesDir = fileURLToPath(new URL('../../processes', import.meta.url));

export async function readBaselineProcesses(): Promise<Array<{ name: string; content: string }>> {
  const names = (await readdir(processesDir)).filter((n) => n.endsWith('.bpmn') || n.endsWith('.dmn')).sort();
  return Promise.all(
    names.map(async (name) => ({ name, content: await readFile(`${processesDir}/${name}`, 'utf8') })),
  );
}

/**
 * Deploys the baseline processes to a tenant. The engine's duplicate filtering (same deployment name and source,
 * changed resources only) makes this a no-op when nothing changed since the last baseline deployment; a version a
 * tenant's designer deployed (another source) is never overwritten by a restart.
 */
export async function deployBaseline(
  engine: EngineClient,
  tenantId: string,
): Promise<{ deploymentId: string; changed: boolean }> {
  const files = await readBaselineProcesses();
  const result = await engine.deploy({ tenantId, name: 'baseline', source: 'reclamatii-baseline', files });
  const defs = result.deployedProcessDefinitions ?? {};
  return { deploymentId: result.id, changed: Object.keys(defs).length > 0 };
}
