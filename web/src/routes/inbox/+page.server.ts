import { fail, redirect } from '@sveltejs/kit';
import {
  deleteApiTasksSavedFiltersByFilterId,
  getApiTasks,
  getApiTasksSavedFilters,
  postApiTasksByIdClaim,
  postApiTasksSavedFilters,
} from '$lib/api/generated';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { hasRole, AREA_ROLES } from '$lib/roles';
import { filterEntries, readFilters, tasksQuery } from '$lib/state/inbox-filters';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

/**
 * The officer's inbox on the task read model: the view and the filters live in the URL (`?view=&category=&…`),
 * `after=` is the keyset cursor of the page. Saved filters are the user's own.
 */
export const load = (async (event) => {
  const { user } = await event.parent();
  const canSeeAll = hasRole(user, 'supervisor');
  const filters = readFilters(event.url.searchParams, canSeeAll);
  const after = event.url.searchParams.get('after');
  const client = apiClient(event);
  const query = tasksQuery(filters, { limit: 25, ...(after ? { after } : {}) });
  const [tasks, saved] = await Promise.all([
    apiLoad(event, getApiTasks({ client, query })),
    apiLoad(event, getApiTasksSavedFilters({ client })),
  ]);
  return {
    filters,
    canSeeAll,
    tasks,
    saved,
    firstPage: !after,
    done: event.url.searchParams.get('done') === '1',
    deferred: event.url.searchParams.get('deferred') === '1',
    released: event.url.searchParams.get('released') === '1',
    delegatedTo: event.url.searchParams.get('delegated')?.slice(0, 100) ?? null,
    // After the "identify consumer" task: the confirmed customer's code (and place code), shown as text only.
    identified: event.url.searchParams.get('identified')?.slice(0, 40) ?? null,
    identifiedPlace: event.url.searchParams.get('place')?.slice(0, 40) ?? null,
    meta: { title: 'Inbox' },
  };
}) satisfies PageServerLoad;

export const actions = {
  saveFilter: async (event) => {
    const user = requireRole(event, AREA_ROLES.inbox);
    const form = await event.request.formData();
    const name = String(form.get('name') ?? '').trim();
    // The filters in force come as hidden fields (the action's URL has no query of its own).
    const fields = new URLSearchParams();
    for (const [k, v] of form) if (k !== 'name' && typeof v === 'string') fields.set(k, v);
    const filters = readFilters(fields, hasRole(user, 'supervisor'));
    const body = { name, filters: { view: filters.view, ...filterEntries(filters) } };
    const r = await settle(postApiTasksSavedFilters({ client: apiClient(event), body }));
    if (!r.ok)
      return fail(r.status, {
        action: 'saveFilter',
        name,
        message: errorMessage(r, 'Filtrul nu a putut fi salvat.'),
      });
    return { action: 'saveFilter', saved: r.data.name };
  },

  deleteFilter: async (event) => {
    requireRole(event, AREA_ROLES.inbox);
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const r = await settle(
      deleteApiTasksSavedFiltersByFilterId({ client: apiClient(event), path: { filterId: id } }),
    );
    if (!r.ok)
      return fail(r.status, {
        action: 'deleteFilter',
        message: errorMessage(r, 'Filtrul nu a putut fi șters.'),
      });
    return { action: 'deleteFilter', deleted: true };
  },

  claim: async (event) => {
    requireRole(event, AREA_ROLES.inbox);
    const form = await event.request.formData();
    const id = String(form.get('taskId') ?? '');
    if (!/^[\w-]{1,64}$/.test(id)) return fail(400, { action: 'claim', message: 'Sarcina nu există.' });
    const r = await settle(postApiTasksByIdClaim({ client: apiClient(event), path: { id } }));
    if (!r.ok)
      return fail(r.status, {
        action: 'claim',
        message: errorMessage(r, 'Sarcina nu a putut fi preluată.'),
      });
    redirect(303, `/inbox/tasks/${id}?claimed=1`);
  },
} satisfies Actions;
