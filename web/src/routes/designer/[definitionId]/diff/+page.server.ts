import { error } from '@sveltejs/kit';
import type { DefinitionDetail, DefinitionDiff } from '$lib/bpmn/api-types';
import { apiLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** What changed from `?from=` to this version, with both diagrams. */
export const load = (async (event) => {
  await event.parent();
  const from = event.url.searchParams.get('from');
  if (!from) error(400, 'Alegeți versiunea cu care comparați.');
  const to = event.params.definitionId;
  const q = new URLSearchParams({ from, to });
  const [diff, newer, older] = await Promise.all([
    apiLoad<DefinitionDiff>(event, `/api/process-definitions/diff?${q}`),
    apiLoad<DefinitionDetail>(event, `/api/process-definitions/${encodeURIComponent(to)}`),
    apiLoad<DefinitionDetail>(event, `/api/process-definitions/${encodeURIComponent(from)}`),
  ]);
  return {
    diff,
    newer: { id: newer.id, name: newer.name, version: newer.version, xml: newer.xml },
    older: { id: older.id, version: older.version, xml: older.xml },
    meta: { title: `${newer.name}: v${older.version} → v${newer.version}` },
  };
}) satisfies PageServerLoad;
