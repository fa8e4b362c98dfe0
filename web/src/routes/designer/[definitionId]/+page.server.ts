import {
  getApiProcessDefinitionsByDefinitionId,
  getApiProcessDefinitionsByDefinitionIdStatistics,
} from '$lib/api/generated';
import { apiClient, apiLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** One version with its XML, its siblings, the pickers' catalogue and (BPMN) where its instances wait now. */
export const load = (async (event) => {
  await event.parent();
  const client = apiClient(event);
  const path = { definitionId: event.params.definitionId };
  const [detail, stats] = await Promise.all([
    apiLoad(event, getApiProcessDefinitionsByDefinitionId({ client, path })),
    apiLoad(event, getApiProcessDefinitionsByDefinitionIdStatistics({ client, path })),
  ]);
  const published = event.url.searchParams.get('publicat');
  return {
    detail,
    statistics: stats.activities,
    published: published && /^\d+$/.test(published) ? Number(published) : null,
    meta: { title: `${detail.name} · v${detail.version}` },
  };
}) satisfies PageServerLoad;
