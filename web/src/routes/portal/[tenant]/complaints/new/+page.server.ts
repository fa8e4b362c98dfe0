import { error, fail, redirect } from '@sveltejs/kit';
import { getApiPortalPlaces, postApiPortalCases } from '$lib/api/generated';
import { complaintCategory, readComplaintForm } from '$lib/complaint-form';
import { multipartStream } from '$lib/server/api';
import { NotAFormError, relayForm, type RelayedForm } from '$lib/server/form-relay';
import { sendRelayed } from '$lib/server/send-relayed';
import { portalClient, portalLoad, portalLogin } from '$lib/server/portal-api';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

/** The complaint's fields the API takes (the page's form has no others, but a crafted one might). */
const FIELDS = new Set(['category', 'subject', 'body', 'contactName', 'contactPhone']);

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
    // The form goes to the API while the browser sends it: its files are never held whole here (issue 13 item 10).
    // "About the contract" is sent as no place (the API takes the linked customer account); empty fields are
    // left out, as the browser's form would, so the API names what is missing.
    let form: RelayedForm;
    try {
      form = relayForm(event.request, (name, value) =>
        name === 'placeId'
          ? value && value !== 'contract'
            ? value
            : null
          : FIELDS.has(name) && value.trim()
            ? name === 'body'
              ? value.trim()
              : value
            : null,
      );
    } catch (err) {
      if (err instanceof NotAFormError) error(400, 'Formularul nu a putut fi citit. Încercați din nou.');
      throw err;
    }
    const r = await sendRelayed(
      form,
      postApiPortalCases({ client: portalClient(event), ...multipartStream(form) }),
    );
    if (r.status === 401) portalLogin(event.params.tenant);
    if (!r.ok) {
      const values = { ...readComplaintForm(form.fields), placeId: form.fields.placeId ?? '' };
      return fail(r.status, {
        values,
        field: complaintCategory(values).ok ? null : ('category' as const),
        message: errorMessage(r, 'Reclamația nu a putut fi trimisă. Încercați din nou.'),
        filesDropped: form.hadFiles(),
        fileProblem: /^PORTAL_(FILE|FILES|TOO_MANY_FILES)/.test(r.data.code),
      });
    }
    redirect(303, `/portal/${event.params.tenant}/complaints/${r.data.number}?trimisa=1`);
  },
} satisfies Actions;
