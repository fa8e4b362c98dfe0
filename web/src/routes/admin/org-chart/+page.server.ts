import { fail } from '@sveltejs/kit';
import { getApiOrgChart, putApiOrgChartJobRolesByCodeHolders } from '$lib/api/generated';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

/** Who holds which job role (the engine's candidate groups): the tasks of a role reach its holders. */
export const load = (async (event) => {
  await event.parent();
  const chart = await apiLoad(event, getApiOrgChart({ client: apiClient(event) }));
  return { chart, meta: { title: 'Administrare: organigramă' } };
}) satisfies PageServerLoad;

export const actions = {
  holders: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const form = await event.request.formData();
    const code = String(form.get('code') ?? '');
    const userIds = form.getAll('userIds').map(String);
    const r = await settle(
      putApiOrgChartJobRolesByCodeHolders({ client: apiClient(event), path: { code }, body: { userIds } }),
    );
    if (!r.ok) return fail(r.status, { code, message: errorMessage(r, 'Titularii nu au putut fi salvați.') });
    return {
      code,
      done: `Titularii funcției ${code} au fost salvați (${userIds.length} ${userIds.length === 1 ? 'persoană' : 'persoane'}).`,
    };
  },
} satisfies Actions;
