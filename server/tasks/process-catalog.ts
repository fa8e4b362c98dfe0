import type { EngineClient } from '../engine/client.ts';
import { parseBpmn, type UserTaskMeta } from '../engine/bpmn-metadata.ts';

/**
 * User-task metadata (instruction, role, form) per process definition. Definitions are immutable in the engine,
 * so a parsed definition is cached for the life of the process.
 */
export function createProcessCatalog(engine: EngineClient) {
  const cache = new Map<string, Promise<Map<string, UserTaskMeta>>>();

  function userTasksOf(processDefinitionId: string): Promise<Map<string, UserTaskMeta>> {
    let entry = cache.get(processDefinitionId);
    if (!entry) {
      entry = engine.getBpmnXml(processDefinitionId).then(async (xml) => {
        const merged = new Map<string, UserTaskMeta>();
        for (const p of await parseBpmn(xml)) for (const [k, v] of p.userTasks) merged.set(k, v);
        return merged;
      });
      entry.catch(() => cache.delete(processDefinitionId));
      cache.set(processDefinitionId, entry);
    }
    return entry;
  }

  async function userTask(
    processDefinitionId: string,
    taskDefinitionKey: string,
  ): Promise<UserTaskMeta | null> {
    return (await userTasksOf(processDefinitionId)).get(taskDefinitionKey) ?? null;
  }

  return { userTask };
}

export type ProcessCatalog = ReturnType<typeof createProcessCatalog>;
