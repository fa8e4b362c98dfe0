import { fail, redirect } from '@sveltejs/kit';
import { getApiPortalPlaces, postApiPortalCases } from '$lib/api/generated';
import { complaintCategory, contactOf, readComplaintForm } from '$lib/complaint-form';
import { multipart, settle } from '$lib/server/api';
import { portalClient, portalLoad, portalLogin } from '$lib/server/portal-api';
import { errorMessage } from '$lib/utils/handle-error';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
  const places = await portalLoad(event, getApiPortalPlaces({ client: portalClient(event) }));
  return {
    places,
    preselected: event.url.searchParams.get('loc'),
    meta: { title: 'Reclamație nouă' },
  };
}) satisfies PageServerLoad;

export const actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = { ...readComplaintForm(form), placeId: String(form.get('placeId') ?? '') };
    const filesDropped = form.getAll('files').some((f) => f instanceof File && f.size > 0);
    const category = complaintCategory(values);
    if (!category.ok)
      return fail(400, {
        values,
        field: category.field,
        message: category.message,
        filesDropped,
        fileProblem: false,
      });
    // The portal takes a multipart form (files); "about the contract" is sent as no place: the API takes the
    // linked customer account.
    const body = new FormData();
    body.append('category', category.category);
    // An empty field is left out, as the browser's form would: the API then names what is missing.
    if (values.subject) body.append('subject', values.subject);
    if (values.body.trim()) body.append('body', values.body.trim());
    if (values.placeId && values.placeId !== 'contract') body.append('placeId', values.placeId);
    for (const [k, v] of Object.entries(contactOf(values))) body.append(k, v);
    for (const f of form.getAll('files'))
      if (f instanceof File && (f.size > 0 || f.name)) body.append('files', f, f.name);
    const r = await settle(postApiPortalCases({ client: portalClient(event), ...multipart(body) }));
    if (r.status === 401) portalLogin(event.params.tenant);
    if (!r.ok)
      return fail(r.status, {
        values,
        field: null,
        message: errorMessage(r, 'Reclamația nu a putut fi trimisă. Încercați din nou.'),
        filesDropped,
        fileProblem: /^PORTAL_(FILE|FILES|TOO_MANY_FILES)/.test(r.data.code),
      });
    redirect(303, `/portal/${event.params.tenant}/complaints/${r.data.number}?trimisa=1`);
  },
} satisfies Actions;
