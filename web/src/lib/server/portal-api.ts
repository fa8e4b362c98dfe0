import { error, redirect, type Cookies } from '@sveltejs/kit';
import type { Client } from '$lib/api/generated/client';
import { settle, type SdkCall } from '$lib/api/result';
import { apiClient } from './api';
import { bridge } from './bridge';

/**
 * The consumer portal's way to the API: the same generated SDK and in-process bridge as the staff pages, with the
 * consumer's own session. Its cookie is scoped to the supplier's portal (`/portal/<CODE>`), so a staff page never
 * sees it and the staff cookie never reaches the portal API (which accepts only consumer sessions anyway).
 */
export const PORTAL_COOKIE = 'portal_session';

export interface PortalEvent {
  cookies: Pick<Cookies, 'get' | 'set' | 'delete'>;
  request: Request;
  getClientAddress(): string;
}

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

/** A client of the API for one portal request, as the consumer whose portal cookie it carries. */
export function portalClient(event: PortalEvent): Client {
  return apiClient(event, { cookie: PORTAL_COOKIE });
}

export function portalLogin(tenant: string): never {
  redirect(303, `/portal/${tenant}/login`);
}

/**
 * For a portal page's `load`: the data of an SDK call; a lost session goes to the portal's login page, any other
 * refusal to the error page with the API's Romanian message.
 */
export async function portalLoad<T>(event: { params: { tenant: string } }, call: SdkCall<T>): Promise<T> {
  const r = await settle(call);
  if (r.ok) return r.data;
  if (r.status === 401) portalLogin(event.params.tenant);
  error(r.status >= 400 && r.status < 600 ? r.status : 500, r.data.message);
}
