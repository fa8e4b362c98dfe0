import { fail } from '@sveltejs/kit';
import { getApiSupervisionIncidents, postApiSupervisionIncidentsByIncidentIdRetry } from '$lib/api/generated';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

/** Failed worker jobs (engine incidents) with their error; a retry gives the job one more attempt. */
export const load = (async (event) => {
  await event.parent();
  const incidents = await apiLoad(event, getApiSupervisionIncidents({ client: apiClient(event) }));
  return { incidents, meta: { title: 'Supervizare: incidente' } };
}) satisfies PageServerLoad;

export const actions = {
  retry: async (event) => {
    requireRole(event, AREA_ROLES.supervisor);
    const form = await event.request.formData();
    const id = String(form.get('incidentId') ?? '');
    const r = await settle(
      postApiSupervisionIncidentsByIncidentIdRetry({ client: apiClient(event), path: { incidentId: id } }),
    );
    if (!r.ok) return fail(r.status, { id, message: errorMessage(r, 'Reîncercarea nu a putut fi pornită.') });
    return { id, done: 'Pasul automat a fost repornit; incidentul dispare când reușește.' };
  },
} satisfies Actions;
