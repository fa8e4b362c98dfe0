import type { ActivityStatistics, DefinitionDetail } from '$lib/bpmn/api-types';
import { apiLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** One version with its XML, its siblings, the pickers' catalogue and (BPMN) where its instances wait now. */
export const load = (async (event) => {
  await event.parent();
  const id = encodeURIComponent(event.params.definitionId);
  const [detail, stats] = await Promise.all([
    apiLoad<DefinitionDetail>(event, `/api/process-definitions/${id}`),
    apiLoad<{ activities: ActivityStatistics[] }>(event, `/api/process-definitions/${id}/statistics`),
  ]);
  const published = event.url.searchParams.get('publicat');
  return {
    detail,
    statistics: stats.activities,
    published: published && /^\d+$/.test(published) ? Number(published) : null,
    meta: { title: `${detail.name} · v${detail.version}` },
  };
}) satisfies PageServerLoad;
