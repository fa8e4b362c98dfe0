import { error, redirect, type Cookies } from '@sveltejs/kit';
import type { ApiError } from '$lib/api/types';

/**
 * The pages' only way to the data: the same HTTP API integrators use, called in-process through fastify's
 * `inject` (installed by server/web-bridge.ts under a global symbol). Every call goes through the API's
 * validation, authorisation and audit; the session token travels as a Bearer header.
 */

const BRIDGE_KEY = Symbol.for('reclamatii.web-bridge');

export const SESSION_COOKIE = 'session';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface InjectOptions {
  method: Method;
  url: string;
  /** A JSON value, or a FormData that fastify's `inject` sends as multipart/form-data (files). */
  payload?: unknown;
  headers?: Record<string, string>;
  remoteAddress?: string;
}

interface InjectResponse {
  statusCode: number;
  body: string;
  rawPayload: Buffer;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface WebBridge {
  inject(opts: InjectOptions): Promise<InjectResponse>;
  publicUrl: string;
  production: boolean;
}

export function bridge(): WebBridge {
  const b = (globalThis as Record<symbol, unknown>)[BRIDGE_KEY] as WebBridge | undefined;
  if (!b) {
    throw new Error(
      'The API bridge is missing: the web pages run inside the fastify server (npm start), not on their own.',
    );
  }
  return b;
}

/** What a page event gives us: the session cookie and who is asking (for the API's rate limits and audit). */
export interface ApiEvent {
  cookies: Pick<Cookies, 'get'>;
  request: Request;
  getClientAddress(): string;
}

export type ApiResult<T> =
  { ok: true; status: number; data: T } | { ok: false; status: number; data: ApiError };

function clientAddress(event: ApiEvent): string | undefined {
  try {
    return event.getClientAddress();
  } catch {
    return undefined;
  }
}

function asApiError(status: number, value: unknown): ApiError {
  const err = value && typeof value === 'object' ? (value as Partial<Record<keyof ApiError, unknown>>) : null;
  return {
    code: typeof err?.code === 'string' ? err.code : `HTTP_${status}`,
    message: typeof err?.message === 'string' ? err.message : 'Eroare neașteptată. Încercați din nou.',
  };
}

export interface CallOptions {
  /** The cookie holding the session token: the staff's `session` unless said otherwise (the portal's own). */
  cookie?: string;
}

/**
 * One in-process call of the API as whoever the cookie names (anonymously without it), with the browser's
 * user agent and the client's address. `body` is JSON or a FormData (multipart, for files). The raw
 * answer: `api` reads it as JSON, a download passes its bytes through.
 */
export async function callApi(
  event: ApiEvent,
  method: Method,
  url: string,
  body?: unknown,
  { cookie = SESSION_COOKIE }: CallOptions = {},
): Promise<InjectResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = event.cookies.get(cookie);
  if (token) headers.authorization = `Bearer ${token}`;
  // No forwarding headers: the client's address travels as the call's socket address (below), as fastify decided
  // it for the page request (server/web-bridge.ts); a header the client wrote never reaches the API's limits.
  for (const name of ['user-agent', 'accept-language']) {
    const value = event.request.headers.get(name);
    if (value) headers[name] = value;
  }
  // Why personal data is read (the access log, issue 13 item 7): the page that asked, e.g. a task's page.
  headers['x-access-via'] = `page:${new URL(event.request.url).pathname}`.slice(0, 120);
  const opts: InjectOptions = { method, url, headers };
  if (body !== undefined) opts.payload = body;
  const remoteAddress = clientAddress(event);
  if (remoteAddress) opts.remoteAddress = remoteAddress;
  return bridge().inject(opts);
}

/**
 * Calls the API as the signed-in user (or anonymously, for public routes, when there is no session cookie).
 * Never throws for an HTTP error: `ok` says whether `data` is the answer or the API's `{ code, message }`.
 */
export async function api<T>(
  event: ApiEvent,
  method: Method,
  url: string,
  body?: unknown,
  options?: CallOptions,
): Promise<ApiResult<T>> {
  const res = await callApi(event, method, url, body, options);
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
  return { ok: false, status: res.statusCode, data: asApiError(res.statusCode, data) };
}

/** The page's own URL without SvelteKit's `?/action` marker: where to come back after logging in. */
export function returnPath(url: URL): string {
  const params = new URLSearchParams();
  for (const [k, v] of url.searchParams) if (!k.startsWith('/')) params.append(k, v);
  const qs = params.toString();
  return url.pathname + (qs ? `?${qs}` : '');
}

export function loginRedirect(url: URL): never {
  redirect(303, `/login?next=${encodeURIComponent(returnPath(url))}`);
}

/**
 * For `load`: the data, or the matching error page. A lost session goes back to the login page; the API's
 * Romanian message becomes the error page's text.
 */
export async function apiLoad<T>(event: ApiEvent & { url: URL }, url: string): Promise<T> {
  const r = await api<T>(event, 'GET', url);
  if (r.ok) return r.data;
  if (r.status === 401) loginRedirect(event.url);
  error(r.status >= 400 && r.status < 600 ? r.status : 500, r.data.message);
}
