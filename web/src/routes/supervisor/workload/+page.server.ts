import { apiLoad } from '$lib/server/api';
import type { Workload } from '$lib/components/supervisor/types';
import type { PageServerLoad } from './$types';

/** Open tasks per officer and per job role (from the inbox read model). */
export const load = (async (event) => {
  await event.parent();
  const workload = await apiLoad<Workload>(event, '/api/supervision/workload');
  return { workload, meta: { title: 'Supervizare: încărcare' } };
}) satisfies PageServerLoad;
