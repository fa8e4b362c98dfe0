import { getApiComplaintsByNumberProgress, getApiComplaintsByNumberVersions } from '$lib/api/generated';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** One case's full degree of execution: open tasks with holders and steps, what may still come, time left, versions. */
export const load = (async (event) => {
  await event.parent();
  const number = event.params.number;
  const client = apiClient(event);
  const [progress, versions] = await Promise.all([
    apiLoad(event, getApiComplaintsByNumberProgress({ client, path: { number } })),
    settle(getApiComplaintsByNumberVersions({ client, path: { number } })),
  ]);
  return {
    progress,
    versions: versions.ok ? versions.data : null,
    meta: { title: `Grad de execuție · ${number}` },
  };
}) satisfies PageServerLoad;
