import { fail } from '@sveltejs/kit';
import { postApiAccountPassword, postApiAccountPasswordLink } from '$lib/api/generated';
import { apiClient, settle } from '$lib/server/api';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

/**
 * Where an invitation or a password reset e-mail leads: the person chooses a password with the link's token.
 * Public (the link is the proof), works without JavaScript, never cached (the URL carries the token).
 */
export const load = (async (event) => {
  event.setHeaders({ 'cache-control': 'private, no-store' });
  const token = event.url.searchParams.get('token') ?? '';
  const meta = { title: 'Alegeți parola' };
  if (!token)
    return { token, link: null, linkError: 'Linkul nu este complet. Deschideți-l din nou din e-mail.', meta };
  const r = await settle(postApiAccountPasswordLink({ client: apiClient(event), body: { token } }));
  if (!r.ok)
    return {
      token,
      link: null,
      linkError: errorMessage(r, 'Linkul nu a putut fi verificat. Încercați din nou.'),
      meta,
    };
  return { token, link: r.data, linkError: null, meta };
}) satisfies PageServerLoad;

export const actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const token = String(form.get('token') ?? '');
    const password = String(form.get('password') ?? '');
    const passwordConfirmation = String(form.get('passwordConfirmation') ?? '');
    if (!password)
      return fail(400, { field: 'password', linkGone: false, message: 'Scrieți parola aleasă.' });
    const r = await settle(
      postApiAccountPassword({ client: apiClient(event), body: { token, password, passwordConfirmation } }),
    );
    if (!r.ok) {
      const code = r.data.code;
      return fail(r.status, {
        field:
          code === 'PASSWORD_MISMATCH'
            ? 'passwordConfirmation'
            : code.startsWith('PASSWORD_LINK')
              ? null
              : 'password',
        linkGone: code.startsWith('PASSWORD_LINK'),
        message: errorMessage(r, 'Parola nu a putut fi salvată. Încercați din nou.'),
      });
    }
    return { done: true, email: r.data.email };
  },
} satisfies Actions;
