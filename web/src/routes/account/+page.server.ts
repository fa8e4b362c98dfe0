import { fail } from '@sveltejs/kit';
import { postApiAccountOwnPassword } from '$lib/api/generated';
import { apiClient, settle } from '$lib/server/api';
import { requireUser } from '$lib/server/guard';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

/** The signed-in person's own account: who they are in the app, and their password. Every staff role. */
export const load = (async (event) => {
  const user = requireUser(event);
  event.setHeaders({ 'cache-control': 'private, no-store' });
  return { user, meta: { title: 'Contul meu' } };
}) satisfies PageServerLoad;

/** Which field the API's refusal is about, so the page marks it. */
const FIELD_OF: Record<string, 'currentPassword' | 'password' | 'passwordConfirmation'> = {
  PASSWORD_CURRENT_WRONG: 'currentPassword',
  PASSWORD_MISMATCH: 'passwordConfirmation',
};

export const actions = {
  password: async (event) => {
    requireUser(event);
    const form = await event.request.formData();
    const body = {
      currentPassword: String(form.get('currentPassword') ?? ''),
      password: String(form.get('password') ?? ''),
      passwordConfirmation: String(form.get('passwordConfirmation') ?? ''),
    };
    if (!body.currentPassword)
      return fail(400, { field: 'currentPassword', message: 'Introduceți parola actuală.' });
    const r = await settle(postApiAccountOwnPassword({ client: apiClient(event), body }));
    if (!r.ok)
      return fail(r.status, {
        field: FIELD_OF[r.data.code] ?? 'password',
        message: errorMessage(r, 'Parola nu a putut fi schimbată. Încercați din nou.'),
      });
    return { changed: true, otherSessionsEnded: r.data.otherSessionsEnded };
  },
} satisfies Actions;
