import { error } from '@sveltejs/kit';
import {
  getApiProcessDefinitionsByDefinitionId,
  getApiProcessDefinitionsDecisionDiff,
  getApiProcessDefinitionsDiff,
} from '$lib/api/generated';
import { apiClient, apiLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/**
 * What changed from `?from=` to this version: for a process, the elements with both diagrams; for a decision
 * table, its columns and rules (the kind comes with the versions, so the comparison waits for them).
 */
export const load = (async (event) => {
  await event.parent();
  const from = event.url.searchParams.get('from');
  if (!from) error(400, 'Alegeți versiunea cu care comparați.');
  const to = event.params.definitionId;
  const client = apiClient(event);
  const query = { from, to };
  const [newer, older] = await Promise.all([
    apiLoad(event, getApiProcessDefinitionsByDefinitionId({ client, path: { definitionId: to } })),
    apiLoad(event, getApiProcessDefinitionsByDefinitionId({ client, path: { definitionId: from } })),
  ]);
  const common = {
    newer: { id: newer.id, name: newer.name, version: newer.version },
    older: { id: older.id, version: older.version },
    meta: { title: `${newer.name}: v${older.version} → v${newer.version}` },
  };
  if (newer.kind === 'dmn') {
    const d = await apiLoad(event, getApiProcessDefinitionsDecisionDiff({ client, query }));
    return { ...common, kind: 'dmn' as const, decisions: d.decisions };
  }
  return {
    ...common,
    kind: 'bpmn' as const,
    diff: await apiLoad(event, getApiProcessDefinitionsDiff({ client, query })),
    olderXml: older.xml,
    newerXml: newer.xml,
  };
}) satisfies PageServerLoad;
