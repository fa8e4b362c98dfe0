import { fail, redirect } from '@sveltejs/kit';
import type { PostApiPortalLinksResponse } from '$lib/api/generated';
import { portalApi, portalLogin } from '$lib/server/portal-api';
import { errorMessage } from '$lib/utils/handle-error';
import type { Actions, PageServerLoad } from './$types';

export const load = (() => ({ meta: { title: 'Asociați contul de client' } })) satisfies PageServerLoad;

export const actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = {
      customerCode: String(form.get('customerCode') ?? '').trim(),
      placeCode: String(form.get('placeCode') ?? '').trim(),
      contractNumber: String(form.get('contractNumber') ?? '').trim(),
      meterSerial: String(form.get('meterSerial') ?? '').trim(),
    };
    if (!values.customerCode || !values.placeCode)
      return fail(400, { values, message: 'Completați codul de client și codul locului de consum.' });
    const r = await portalApi<PostApiPortalLinksResponse>(event, 'POST', '/api/portal/links', values);
    if (r.status === 401) portalLogin(event.params.tenant);
    if (!r.ok)
      return fail(r.status, {
        values,
        message: errorMessage(r, 'Asocierea nu a reușit. Încercați din nou.'),
      });
    redirect(303, `/portal/${event.params.tenant}?asociat=1`);
  },
} satisfies Actions;
