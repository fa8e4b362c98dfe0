import { fail, redirect } from '@sveltejs/kit';
import { postApiAuthLogin } from '$lib/api/generated';
import { apiClient, bridge, SESSION_COOKIE, settle } from '$lib/server/api';
import { errorMessage } from '$lib/api/error-message';
import { homeFor } from '$lib/roles';
import { safeNext } from '$lib/utils/safe-next';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')) ?? homeFor(locals.user));
  return { next: safeNext(url.searchParams.get('next')), meta: { title: 'Autentificare' } };
}) satisfies PageServerLoad;

export const actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const next = safeNext(form.get('next'));

    if (!email || !password) {
      return fail(400, { email, message: 'Completați adresa de e-mail și parola.' });
    }
    const r = await settle(postApiAuthLogin({ client: apiClient(event), body: { email, password } }));
    if (!r.ok) {
      return fail(r.status, {
        email,
        message: errorMessage(r, 'Autentificarea nu a reușit. Încercați din nou.'),
      });
    }
    event.cookies.set(SESSION_COOKIE, r.data.token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: bridge().production,
      expires: new Date(r.data.expiresAt),
    });
    redirect(303, next ?? homeFor(r.data.user));
  },
} satisfies Actions;
