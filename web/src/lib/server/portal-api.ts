import { redirect, type Cookies } from '@sveltejs/kit';
import type { ApiError } from '$lib/api/types';
import { bridge, type ApiResult } from './api';

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

interface RawResponse {
  statusCode: number;
  body: string;
  rawPayload: Buffer;
  headers: Record<string, string | string[] | number | undefined>;
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

async function inject(
  event: PortalEvent,
  method: Method,
  url: string,
  payload?: unknown,
): Promise<RawResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = event.cookies.get(PORTAL_COOKIE);
  if (token) headers.authorization = `Bearer ${token}`;
  for (const name of ['user-agent', 'x-forwarded-for', 'x-forwarded-proto', 'accept-language']) {
    const value = event.request.headers.get(name);
    if (value) headers[name] = value;
  }
  let remoteAddress: string | undefined;
  try {
    remoteAddress = event.getClientAddress();
  } catch {
    remoteAddress = undefined;
  }
  const opts: Record<string, unknown> = { method, url, headers };
  if (payload !== undefined) opts.payload = payload;
  if (remoteAddress) opts.remoteAddress = remoteAddress;
  const inject = bridge().inject as unknown as (o: Record<string, unknown>) => Promise<RawResponse>;
  return inject(opts);
}

/** JSON or a FormData body (multipart, for files) in, the API's answer out; never throws for an HTTP error. */
export async function portalApi<T>(
  event: PortalEvent,
  method: Method,
  url: string,
  body?: unknown,
): Promise<ApiResult<T>> {
  const res = await inject(event, method, url, body);
  let data: unknown = null;
  if (res.body) {
    try {
      data = JSON.parse(res.body);
    } catch {
      return {
        ok: false,
        status: 502,
        data: { code: 'BAD_GATEWAY', message: 'Răspuns neașteptat de la server.' },
      };
    }
  }
  if (res.statusCode >= 200 && res.statusCode < 300)
    return { ok: true, status: res.statusCode, data: data as T };
  const err = data as Partial<ApiError> | null;
  return {
    ok: false,
    status: res.statusCode,
    data: {
      code: typeof err?.code === 'string' ? err.code : `HTTP_${res.statusCode}`,
      message: typeof err?.message === 'string' ? err.message : 'Eroare neașteptată. Încercați din nou.',
    },
  };
}

/** A download (PDF, photo) passed through as bytes with the API's headers. */
export async function portalDownload(event: PortalEvent, url: string): Promise<Response> {
  const res = await inject(event, 'GET', url);
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
