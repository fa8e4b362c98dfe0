import { api, apiLoad } from '$lib/server/api';
import type { CaseProgress, CaseVersions } from '$lib/components/supervisor/types';
import type { PageServerLoad } from './$types';

/** One case's full degree of execution: open tasks with holders and steps, what may still come, time left, versions. */
export const load = (async (event) => {
  await event.parent();
  const number = event.params.number;
  const [progress, versions] = await Promise.all([
    apiLoad<CaseProgress>(event, `/api/complaints/${number}/progress`),
    api<CaseVersions>(event, 'GET', `/api/complaints/${number}/versions`),
  ]);
  return {
    progress,
    versions: versions.ok ? versions.data : null,
    meta: { title: `Grad de execuție · ${number}` },
  };
}) satisfies PageServerLoad;
