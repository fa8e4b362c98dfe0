import { fail, redirect } from '@sveltejs/kit';
import { postApiPortalLinks } from '$lib/api/generated';
import { settle } from '$lib/server/api';
import { portalClient, portalLogin } from '$lib/server/portal-api';
import { errorMessage } from '$lib/api/error-message';
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
    const missing = [
      [values.customerCode, 'codul de client'],
      [values.placeCode, 'codul locului de consum'],
      [values.contractNumber, 'numărul contractului'],
      [values.meterSerial, 'seria contorului'],
    ]
      .filter(([v]) => !v)
      .map(([, label]) => label);
    if (missing.length)
      return fail(400, {
        values,
        message: `Completați ${missing.length > 1 ? `${missing.slice(0, -1).join(', ')} și ${missing.at(-1)}` : missing[0]}. Toate cele patru date sunt necesare și se găsesc pe factură.`,
      });
    const r = await settle(postApiPortalLinks({ client: portalClient(event), body: values }));
    if (r.status === 401) portalLogin(event.params.tenant);
    if (!r.ok)
      return fail(r.status, {
        values,
        message: errorMessage(r, 'Asocierea nu a reușit. Încercați din nou.'),
      });
    redirect(303, `/portal/${event.params.tenant}?asociat=1`);
  },
} satisfies Actions;
