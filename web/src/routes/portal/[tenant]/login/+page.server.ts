import { fail, redirect } from '@sveltejs/kit';
import {
  postApiPortalSuppliersByTenantCodeLoginCodes,
  postApiPortalSuppliersByTenantCodeSessions,
} from '$lib/api/generated';
import { settle } from '$lib/server/api';
import { portalClient, setPortalCookie } from '$lib/server/portal-api';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ parent, params }) =>
  parent().then(({ account }) => {
    if (account) redirect(303, `/portal/${params.tenant}`);
    return { meta: { title: 'Intrare în portal' } };
  })) satisfies PageServerLoad;

/** Two steps, each a plain form: the address (a code is e-mailed), then the code. */
export const actions = {
  code: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    if (!email) return fail(400, { step: 'email' as const, email, message: 'Completați adresa de e-mail.' });
    const r = await settle(
      postApiPortalSuppliersByTenantCodeLoginCodes({
        client: portalClient(event),
        path: { tenantCode: event.params.tenant },
        body: { email },
      }),
    );
    if (!r.ok)
      return fail(r.status, {
        step: 'email' as const,
        email,
        message: errorMessage(r, 'Nu am putut trimite codul. Încercați din nou.'),
      });
    return { step: 'code' as const, email, sent: r.data.message, message: null };
  },
  verify: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const code = String(form.get('code') ?? '').trim();
    if (!/^\d{3}\s?\d{3}$/.test(code))
      return fail(400, { step: 'code' as const, email, sent: null, message: 'Codul are 6 cifre.' });
    const r = await settle(
      postApiPortalSuppliersByTenantCodeSessions({
        client: portalClient(event),
        path: { tenantCode: event.params.tenant },
        body: { email, code },
      }),
    );
    if (!r.ok)
      return fail(r.status, {
        step: 'code' as const,
        email,
        sent: null,
        message: errorMessage(r, 'Autentificarea nu a reușit. Încercați din nou.'),
      });
    setPortalCookie(event, event.params.tenant, r.data.token, r.data.expiresAt);
    redirect(303, `/portal/${event.params.tenant}`);
  },
} satisfies Actions;
