import type { Handle } from '@sveltejs/kit';
import { getApiAuthMe } from '$lib/api/generated';
import { apiClient, bridge, SESSION_COOKIE, settle } from '$lib/server/api';
import { secondFactorDetour } from '$lib/server/second-factor';

/**
 * Who is asking: with a session cookie, the API says who the user is (GET /api/auth/me). A cookie the API
 * no longer accepts is removed, so the visitor is simply logged out.
 */
export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  if (event.cookies.get(SESSION_COOKIE)) {
    const me = await settle(getApiAuthMe({ client: apiClient(event) }));
    if (me.ok) event.locals.user = me.data;
    else if (me.status === 401)
      event.cookies.delete(SESSION_COOKIE, { path: '/', secure: bridge().production });
  }
  // An unfinished sign-in (the TOTP code due, or enrolment required) reaches only the pages that finish it.
  const detour = secondFactorDetour(event.locals.user, event.url);
  if (detour) return new Response(null, { status: 303, headers: { location: detour } });
  const response = await resolve(event);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  // The Content-Security-Policy (with its per-response script nonce) is SvelteKit's, configured in
  // web/svelte.config.js; HSTS and the other security headers come from @fastify/helmet (server/app.ts).
  // Staff pages and a consumer's status page are private: never keep them in a shared or back-forward cache.
  if (event.locals.user || event.url.pathname.startsWith('/status/'))
    response.headers.set('cache-control', 'private, no-store');
  return response;
};
