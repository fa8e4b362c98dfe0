import { fail, redirect } from '@sveltejs/kit';
import { postApiAuthTotp } from '$lib/api/generated';
import { apiClient, bridge, SESSION_COOKIE, settle } from '$lib/server/api';
import { errorMessage } from '$lib/api/error-message';
import { homeFor } from '$lib/roles';
import { safeNext } from '$lib/utils/safe-next';
import type { Actions, PageServerLoad } from './$types';

/** Step two of the staff login: the code from the authenticator app, or a recovery code. */
export const load = (({ locals, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  if (!locals.user) redirect(303, '/login');
  if (locals.user.secondFactor.stage !== 'totp') redirect(303, next ?? homeFor(locals.user));
  return { next, email: locals.user.email, meta: { title: 'Codul de autentificare' } };
}) satisfies PageServerLoad;

export const actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const code = String(form.get('code') ?? '').trim();
    const next = safeNext(form.get('next'));
    if (!code) return fail(400, { message: 'Introduceți codul din aplicația de autentificare.' });
    const r = await settle(postApiAuthTotp({ client: apiClient(event), body: { code } }));
    if (!r.ok) {
      if (r.status === 401) {
        // Too many wrong codes: the session is gone; the password must be given again.
        event.cookies.delete(SESSION_COOKIE, { path: '/', secure: bridge().production });
        return fail(401, { message: errorMessage(r, 'Autentificați-vă din nou.'), restart: true });
      }
      return fail(r.status, {
        message: errorMessage(r, 'Codul nu a putut fi verificat. Încercați din nou.'),
      });
    }
    // The same session, now signed in for its whole life: the cookie lasts as long.
    const token = event.cookies.get(SESSION_COOKIE);
    if (token)
      event.cookies.set(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        path: '/',
        secure: bridge().production,
        expires: new Date(r.data.expiresAt),
      });
    redirect(303, next ?? homeFor(r.data.user));
  },
} satisfies Actions;
