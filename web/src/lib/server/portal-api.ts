import { redirect, type Cookies } from '@sveltejs/kit';
import { api, bridge, callApi, type ApiResult } from './api';

/**
 * The consumer portal's way to the API: the same in-process bridge as the staff pages, with the consumer's own
 * session. Its cookie is scoped to the supplier's portal (`/portal/<CODE>`), so a staff page never sees it and
 * the staff cookie never reaches the portal API (which accepts only consumer sessions anyway).
 */
export const PORTAL_COOKIE = 'portal_session';

export interface PortalEvent {
  cookies: Pick<Cookies, 'get' | 'set' | 'delete'>;
  request: Request;
  getClientAddress(): string;
}

type Method = 'GET' | 'POST' | 'DELETE';

export function portalCookiePath(tenant: string): string {
  return `/portal/${tenant}`;
}

export function setPortalCookie(event: PortalEvent, tenant: string, token: string, expiresAt: string) {
  event.cookies.set(PORTAL_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: portalCookiePath(tenant),
    secure: bridge().production,
    expires: new Date(expiresAt),
  });
}

export function clearPortalCookie(event: PortalEvent, tenant: string) {
  event.cookies.delete(PORTAL_COOKIE, { path: portalCookiePath(tenant), secure: bridge().production });
}

/** JSON or a FormData body (multipart, for files) in, the API's answer out; never throws for an HTTP error. */
export function portalApi<T>(
  event: PortalEvent,
  method: Method,
  url: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  return api<T>(event, method, url, body, { cookie: PORTAL_COOKIE });
}

/** A download (PDF, photo) passed through as bytes with the API's headers. */
export async function portalDownload(event: PortalEvent, url: string): Promise<Response> {
  const res = await callApi(event, 'GET', url, undefined, { cookie: PORTAL_COOKIE });
  if (res.statusCode !== 200) return new Response(null, { status: res.statusCode });
  const headers = new Headers();
  for (const name of ['content-type', 'content-disposition', 'cache-control', 'x-content-type-options']) {
    const v = res.headers[name];
    if (typeof v === 'string') headers.set(name, v);
  }
  return new Response(new Uint8Array(res.rawPayload), { status: 200, headers });
}

export function portalLogin(tenant: string): never {
  redirect(303, `/portal/${tenant}/login`);
}
