import type { DbOrTx } from '../db/client.ts';
import type { CaseProcessVersions } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { getCaseByNumber, setProcessVersions } from './cases.repo.ts';
import type { EngineClient } from '../engine/client.ts';
import { parseBpmn } from '../engine/bpmn-metadata.ts';
import { processVersion } from '../engine/process-version.ts';
import { caseInstances } from '../engine/supervision.ts';
import { loadInstructions, type Instruction } from '../instructions/index.ts';

let loaded: Promise<Map<string, Instruction>> | undefined;
function instructionsNow() {
  loaded ??= loadInstructions();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

const instructionIdsByDefinition = new Map<string, Promise<string[]>>();
function instructionIdsOf(engine: EngineClient, definitionId: string) {
  let ids = instructionIdsByDefinition.get(definitionId);
  if (!ids) {
    ids = engine.getBpmnXml(definitionId).then(async (xml) => {
      const out = new Set<string>();
      for (const p of await parseBpmn(xml))
        for (const t of p.userTasks.values()) if (t.instructionId) out.add(t.instructionId);
      return [...out].sort();
    });
    ids.catch(() => instructionIdsByDefinition.delete(definitionId));
    instructionIdsByDefinition.set(definitionId, ids);
  }
  return ids;
}

/**
 * The versions a case ran under: every process instance of the case (the main process and each called
 * sub-process: verify-*, operator-request, …) with its definition and the SHA-256 of its deployed XML, and the
 * SHA-256 of every work instruction its processes' user tasks reference.
 */
export async function caseProcessVersions(
  engine: EngineClient,
  tenantId: string,
  number: string,
  instructions?: Map<string, Instruction>,
): Promise<CaseProcessVersions> {
  const [instances, loadedInstructions] = await Promise.all([
    caseInstances(engine, tenantId, number),
    instructions ? Promise.resolve(instructions) : instructionsNow(),
  ]);
  const definitions = new Map<string, { key: string; version: number | null }>();
  for (const i of instances)
    definitions.set(i.processDefinitionId, {
      key: i.processDefinitionKey,
      version: i.processDefinitionVersion ?? null,
    });
  const processes: CaseProcessVersions['processes'] = {};
  const instructionHashes: Record<string, string> = {};
  await Promise.all(
    [...definitions].map(async ([definitionId, d]) => {
      const [hash, ids] = await Promise.all([
        processVersion(engine, definitionId),
        instructionIdsOf(engine, definitionId),
      ]);
      // Two versions of one key in a case (a redeploy between two calls) keep both, the later under key@version.
      const name =
        processes[d.key] && processes[d.key]!.definitionId !== definitionId ? `${d.key}@${d.version}` : d.key;
      processes[name] = { definitionId, version: d.version, hash };
      for (const id of ids) {
        const ins = loadedInstructions.get(id);
        if (ins) instructionHashes[id] = ins.hash;
      }
    }),
  );
  const sortedProcesses = Object.fromEntries(
    Object.entries(processes).sort(([a], [b]) => a.localeCompare(b)),
  );
  const sortedInstructions = Object.fromEntries(
    Object.entries(instructionHashes).sort(([a], [b]) => a.localeCompare(b)),
  );
  return {
    processes: sortedProcesses,
    instructions: sortedInstructions,
    recordedAt: new Date().toISOString(),
  };
}

/** Records the versions on the case (at its end, when every sub-process it called is known). */
export async function recordCaseVersions(
  db: DbOrTx,
  engine: EngineClient,
  tenantId: string,
  caseId: string,
  number: string,
): Promise<CaseProcessVersions> {
  const versions = await caseProcessVersions(engine, tenantId, number);
  await setProcessVersions(db, tenantId, caseId, versions);
  return versions;
}

/**
 * The versions a case ran under, as the case page shows them: those recorded on the case at its end, else (while
 * it runs) computed from its process instances in the engine. CASE_NOT_FOUND for a number the tenant has not.
 */
export async function caseVersionsOf(
  deps: { db: DbOrTx; engine: EngineClient },
  tenantId: string,
  number: string,
) {
  const row = await getCaseByNumber(deps.db, tenantId, number);
  if (!row) throw new DomainError('CASE_NOT_FOUND', { number });
  const c = row.case;
  const versions = c.processVersions ?? (await caseProcessVersions(deps.engine, tenantId, c.number));
  return {
    number: c.number,
    recorded: c.processVersions !== null,
    processHash: c.processHash,
    instructionsHash: c.instructionsHash,
    ...versions,
  };
}
