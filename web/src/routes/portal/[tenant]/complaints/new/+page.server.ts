import { error, fail, redirect } from '@sveltejs/kit';
import type { GetApiPortalPlacesResponse, PostApiPortalCasesResponse } from '$lib/api/generated';
import { portalApi, portalLogin } from '$lib/server/portal-api';
import { errorMessage } from '$lib/utils/handle-error';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
  const places = await portalApi<GetApiPortalPlacesResponse>(event, 'GET', '/api/portal/places');
  if (places.status === 401) portalLogin(event.params.tenant);
  if (!places.ok) error(places.status, places.data.message);
  return {
    places: places.data,
    preselected: event.url.searchParams.get('loc'),
    meta: { title: 'Reclamație nouă' },
  };
}) satisfies PageServerLoad;

const TEXT_FIELDS = ['category', 'subject', 'body', 'placeId', 'contactName', 'contactPhone'] as const;

export const actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = Object.fromEntries(TEXT_FIELDS.map((k) => [k, String(form.get(k) ?? '')])) as Record<
      (typeof TEXT_FIELDS)[number],
      string
    >;
    // "About the contract" is sent as no place: the API takes the linked customer account.
    if (values.placeId === 'contract') values.placeId = '';
    const body = new FormData();
    for (const k of TEXT_FIELDS) if (values[k]) body.append(k, values[k]);
    for (const f of form.getAll('files'))
      if (f instanceof File && (f.size > 0 || f.name)) body.append('files', f, f.name);
    const r = await portalApi<PostApiPortalCasesResponse>(event, 'POST', '/api/portal/cases', body);
    if (r.status === 401) portalLogin(event.params.tenant);
    if (!r.ok)
      return fail(r.status, {
        values: { ...values, placeId: String(form.get('placeId') ?? '') },
        message: errorMessage(r, 'Reclamația nu a putut fi trimisă. Încercați din nou.'),
        filesDropped: form.getAll('files').some((f) => f instanceof File && f.size > 0),
        fileProblem: /^PORTAL_(FILE|FILES|TOO_MANY_FILES)/.test(r.data.code),
      });
    redirect(303, `/portal/${event.params.tenant}/complaints/${r.data.number}?trimisa=1`);
  },
} satisfies Actions;
