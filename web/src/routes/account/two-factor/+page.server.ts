import { fail, redirect } from '@sveltejs/kit';
import {
  deleteApiAccountTotp,
  getApiAccountTotp,
  postApiAccountTotpConfirm,
  postApiAccountTotpRecoveryCodes,
  postApiAccountTotpSetup,
} from '$lib/api/generated';
import { apiClient, apiLoad, returnPath, settle } from '$lib/server/api';
import { requireUser } from '$lib/server/guard';
import { errorMessage } from '$lib/api/error-message';
import { homeFor } from '$lib/roles';
import { safeNext } from '$lib/utils/safe-next';
import type { Actions, PageServerLoad } from './$types';

/**
 * Two-step sign-in for the signed-in person: set up the authenticator app (QR code drawn on the server), new
 * recovery codes, switch it off. Where TOTP is required and not set up, this is the only page a session reaches.
 */
export const load = (async (event) => {
  const user = requireUser(event);
  event.setHeaders({ 'cache-control': 'private, no-store' });
  const status = await apiLoad(event, getApiAccountTotp({ client: apiClient(event) }));
  return {
    status,
    forced: user.secondFactor.stage === 'enrol',
    next: safeNext(event.url.searchParams.get('next')),
    meta: { title: 'Autentificare în doi pași' },
  };
}) satisfies PageServerLoad;

/** The re-authentication page, coming back here afterwards. */
function reauthFirst(url: URL): never {
  redirect(303, `/account/reauth?next=${encodeURIComponent(returnPath(url))}`);
}

export const actions = {
  start: async (event) => {
    requireUser(event);
    const r = await settle(postApiAccountTotpSetup({ client: apiClient(event) }));
    if (!r.ok) {
      if (r.data.code === 'AUTH_REAUTH_REQUIRED') reauthFirst(event.url);
      return fail(r.status, {
        message: errorMessage(r, 'Configurarea nu a putut începe. Încercați din nou.'),
      });
    }
    return {
      setup: {
        secret: r.data.secret,
        qr: `data:image/svg+xml;base64,${Buffer.from(r.data.qrSvg).toString('base64')}`,
      },
    };
  },
  confirm: async (event) => {
    const user = requireUser(event);
    const form = await event.request.formData();
    const code = String(form.get('code') ?? '').trim();
    const secret = String(form.get('secret') ?? '');
    const qr = String(form.get('qr') ?? '');
    const setup = { secret, qr: qr.startsWith('data:image/svg+xml;base64,') ? qr : '' };
    if (!code) return fail(400, { setup, message: 'Introduceți codul de 6 cifre afișat de aplicație.' });
    const r = await settle(postApiAccountTotpConfirm({ client: apiClient(event), body: { code } }));
    if (!r.ok) return fail(r.status, { setup, message: errorMessage(r, 'Codul nu a putut fi verificat.') });
    const next = safeNext(form.get('next'));
    return {
      recoveryCodes: r.data.recoveryCodes,
      otherSessionsEnded: r.data.otherSessionsEnded,
      continueTo: next ?? homeFor(user),
    };
  },
  regenerate: async (event) => {
    requireUser(event);
    const r = await settle(postApiAccountTotpRecoveryCodes({ client: apiClient(event) }));
    if (!r.ok) {
      if (r.data.code === 'AUTH_REAUTH_REQUIRED') reauthFirst(event.url);
      return fail(r.status, { message: errorMessage(r, 'Codurile nu au putut fi generate.') });
    }
    return { recoveryCodes: r.data.recoveryCodes };
  },
  disable: async (event) => {
    requireUser(event);
    const r = await settle(deleteApiAccountTotp({ client: apiClient(event) }));
    if (!r.ok) {
      if (r.data.code === 'AUTH_REAUTH_REQUIRED') reauthFirst(event.url);
      return fail(r.status, { message: errorMessage(r, 'Autentificarea în doi pași nu a putut fi oprită.') });
    }
    return { disabled: true };
  },
} satisfies Actions;
