import { createHash } from 'node:crypto';
import type { EngineClient } from './client.ts';

const cache = new Map<string, Promise<string>>();

/**
 * The content hash (SHA-256 of the deployed BPMN XML) of a process definition. Definitions never change in the
 * engine, so each is fetched once per Node process.
 */
export function processVersion(engine: EngineClient, processDefinitionId: string): Promise<string> {
  let v = cache.get(processDefinitionId);
  if (!v) {
    v = engine.getBpmnXml(processDefinitionId).then((xml) => createHash('sha256').update(xml).digest('hex'));
    v.catch(() => cache.delete(processDefinitionId));
    cache.set(processDefinitionId, v);
  }
  return v;
}
