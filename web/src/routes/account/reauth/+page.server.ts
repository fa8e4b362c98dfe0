import { fail, redirect } from '@sveltejs/kit';
import { postApiAuthReauth } from '$lib/api/generated';
import { apiClient, settle } from '$lib/server/api';
import { requireUser } from '$lib/server/guard';
import { errorMessage } from '$lib/api/error-message';
import { safeNext } from '$lib/utils/safe-next';
import type { Actions, PageServerLoad } from './$types';

/**
 * Confirm who is at the keyboard before a sensitive operation (granting roles, the mailbox, TOTP changes): the
 * password, and the code when the person uses TOTP. Then back to the page that asked (`next`, a path here).
 */
export const load = (async (event) => {
  const user = requireUser(event);
  event.setHeaders({ 'cache-control': 'private, no-store' });
  return {
    email: user.email,
    needsCode: user.secondFactor.enrolled,
    next: safeNext(event.url.searchParams.get('next')),
    meta: { title: 'Confirmați identitatea' },
  };
}) satisfies PageServerLoad;

export const actions = {
  default: async (event) => {
    const user = requireUser(event);
    const form = await event.request.formData();
    const password = String(form.get('password') ?? '');
    const code = String(form.get('code') ?? '').trim();
    const next = safeNext(form.get('next'));
    if (!password) return fail(400, { message: 'Introduceți parola.' });
    if (user.secondFactor.enrolled && !code)
      return fail(400, { message: 'Introduceți și codul din aplicația de autentificare.' });
    const body = code ? { password, code } : { password };
    const r = await settle(postApiAuthReauth({ client: apiClient(event), body }));
    if (!r.ok)
      return fail(r.status, { message: errorMessage(r, 'Confirmarea nu a reușit. Încercați din nou.') });
    redirect(303, next ?? '/account');
  },
} satisfies Actions;
