import { error } from '@sveltejs/kit';
import type { DecisionTableDiff, DefinitionDetail, DefinitionDiff } from '$lib/bpmn/api-types';
import { apiLoad } from '$lib/server/api';
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
  const q = new URLSearchParams({ from, to });
  const [newer, older] = await Promise.all([
    apiLoad<DefinitionDetail>(event, `/api/process-definitions/${encodeURIComponent(to)}`),
    apiLoad<DefinitionDetail>(event, `/api/process-definitions/${encodeURIComponent(from)}`),
  ]);
  const common = {
    newer: { id: newer.id, name: newer.name, version: newer.version },
    older: { id: older.id, version: older.version },
    meta: { title: `${newer.name}: v${older.version} → v${newer.version}` },
  };
  if (newer.kind === 'dmn') {
    const d = await apiLoad<DecisionTableDiff>(event, `/api/process-definitions/decision-diff?${q}`);
    return { ...common, kind: 'dmn' as const, decisions: d.decisions };
  }
  return {
    ...common,
    kind: 'bpmn' as const,
    diff: await apiLoad<DefinitionDiff>(event, `/api/process-definitions/diff?${q}`),
    olderXml: older.xml,
    newerXml: newer.xml,
  };
}) satisfies PageServerLoad;
