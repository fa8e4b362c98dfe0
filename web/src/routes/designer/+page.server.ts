import { fail } from '@sveltejs/kit';
import { getApiProcessDefinitions, postApiProcessDefinitionsBaselineResets } from '$lib/api/generated';
import { AREA_ROLES } from '$lib/roles';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import type { Actions, PageServerLoad } from './$types';

/** The tenant's process and decision files with every version and its running instances. */
export const load = (async (event) => {
  await event.parent();
  const { resources } = await apiLoad(event, getApiProcessDefinitions({ client: apiClient(event) }));
  return { resources, meta: { title: 'Procese' } };
}) satisfies PageServerLoad;

export const actions = {
  /** Back to the baseline of one file (a new version; running instances keep theirs). */
  reset: async (event) => {
    requireRole(event, AREA_ROLES.designer);
    const form = await event.request.formData();
    const resourceName = String(form.get('resourceName') ?? '');
    const r = await settle(
      postApiProcessDefinitionsBaselineResets({ client: apiClient(event), body: { resourceName } }),
    );
    if (!r.ok) return fail(r.status, { resourceName, error: r.data.message });
    const v = r.data.definitions[0]?.version;
    return { resourceName, reset: true, version: v ?? null };
  },
} satisfies Actions;
