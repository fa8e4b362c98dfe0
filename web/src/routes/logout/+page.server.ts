import { redirect } from '@sveltejs/kit';
import { postApiAuthLogout } from '$lib/api/generated';
import { apiClient, bridge, SESSION_COOKIE } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

/** Logging out is a POST (the "Ieșire" button); a GET here just goes home. */
export const load = (() => redirect(303, '/')) satisfies PageServerLoad;

export const actions = {
  default: async (event) => {
    if (event.cookies.get(SESSION_COOKIE)) {
      // Ends the session on the server too; the cookie goes whatever the answer (an expired session is fine).
      await postApiAuthLogout({ client: apiClient(event) });
      event.cookies.delete(SESSION_COOKIE, { path: '/', secure: bridge().production });
    }
    redirect(303, '/login');
  },
} satisfies Actions;
