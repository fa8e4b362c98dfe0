import { getApiSupervisionWorkload } from '$lib/api/generated';
import { apiClient, apiLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** Open tasks per officer and per job role (from the inbox read model). */
export const load = (async (event) => {
  await event.parent();
  const workload = await apiLoad(event, getApiSupervisionWorkload({ client: apiClient(event) }));
  return { workload, meta: { title: 'Supervizare: încărcare' } };
}) satisfies PageServerLoad;
