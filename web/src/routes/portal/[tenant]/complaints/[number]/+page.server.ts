import { error, fail, redirect } from '@sveltejs/kit';
import {
  getApiPortalCasesByNumber,
  postApiPortalCasesByNumberContestations,
  postApiPortalCasesByNumberInformation,
} from '$lib/api/generated';
import { multipartStream, settle } from '$lib/server/api';
import { NotAFormError, relayForm, type RelayedForm } from '$lib/server/form-relay';
import { sendRelayed } from '$lib/server/send-relayed';
import { portalClient, portalLoad, portalLogin } from '$lib/server/portal-api';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

const NUMBER = /^[A-Z0-9]{2,20}-\d{4}-\d{6}$/;

export const load = (async (event) => {
  const number = event.params.number.toUpperCase();
  if (!NUMBER.test(number)) error(404, 'Reclamația nu există.');
  const c = await portalLoad(
    event,
    getApiPortalCasesByNumber({ client: portalClient(event), path: { number } }),
  );
  return {
    c,
    submitted: event.url.searchParams.has('trimisa'),
    added: event.url.searchParams.has('completata'),
    meta: { title: `Reclamația ${number}` },
  };
}) satisfies PageServerLoad;

export const actions = {
  information: async (event) => {
    const number = event.params.number.toUpperCase();
    if (!NUMBER.test(number)) error(404, 'Reclamația nu există.');
    // Relayed to the API while the browser sends it: the files are never held whole here (issue 13 item 10).
    let form: RelayedForm;
    try {
      form = relayForm(event.request, (name, value) => (name === 'text' ? value : null));
    } catch (err) {
      if (err instanceof NotAFormError) error(400, 'Formularul nu a putut fi citit. Încercați din nou.');
      throw err;
    }
    const r = await sendRelayed(
      form,
      postApiPortalCasesByNumberInformation({
        client: portalClient(event),
        path: { number },
        ...multipartStream(form),
      }),
    );
    if (r.status === 401) portalLogin(event.params.tenant);
    if (!r.ok) {
      return fail(r.status, {
        text: form.fields.text ?? '',
        message: errorMessage(r, 'Informațiile nu au putut fi trimise. Încercați din nou.'),
        filesDropped: form.hadFiles(),
        fileProblem: /^PORTAL_(FILE|FILES|TOO_MANY_FILES)/.test(r.data.code),
      });
    }
    return { text: '', message: null, filesDropped: false, fileProblem: false, added: r.data.files.length };
  },
  contest: async (event) => {
    const number = event.params.number.toUpperCase();
    if (!NUMBER.test(number)) error(404, 'Reclamația nu există.');
    const form = await event.request.formData();
    const text = String(form.get('contestText') ?? '').trim();
    const r = await settle(
      postApiPortalCasesByNumberContestations({
        client: portalClient(event),
        path: { number },
        body: { text },
      }),
    );
    if (r.status === 401) portalLogin(event.params.tenant);
    if (!r.ok)
      return fail(r.status, {
        contestText: text,
        contestMessage: errorMessage(r, 'Contestația nu a putut fi trimisă. Încercați din nou.'),
      });
    redirect(303, `/portal/${event.params.tenant}/complaints/${r.data.number}?trimisa=1`);
  },
} satisfies Actions;
