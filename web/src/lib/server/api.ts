import { error, redirect, type Cookies } from '@sveltejs/kit';
import { createClient, type Client } from '$lib/api/generated/client';
import { asApiError, settle, type ApiResult, type SdkCall } from '$lib/api/result';
import { bridge, bridgeFetch } from './bridge';

/**
 * The pages' only way to the data: the same HTTP API integrators use, through the functions generated from its
 * OpenAPI spec (web/src/lib/api/generated/sdk.gen.ts), on a client whose fetch is the in-process bridge
 * (./bridge.ts). Every call goes through the API's validation, authorisation and audit; the session token
 * travels as a Bearer header.
 *
 *   const api = apiClient(event);
 *   const task = await apiLoad(event, getApiTasksById({ client: api, path: { id } }));   // load: data or error page
 *   const r = await settle(postApiTasksByIdClaim({ client: api, path: { id } }));     // action: r.ok, r.data
 */

export { bridge };
export type { ApiResult };

export const SESSION_COOKIE = 'session';

/** Any host: the bridge reads only the path and query. `.invalid` can never resolve, should it ever be dialled. */
const BRIDGE_ORIGIN = 'http://api.invalid';

/** What a page event gives us: the session cookie and who is asking (for the API's rate limits and audit). */
export interface ApiEvent {
  cookies: Pick<Cookies, 'get'>;
  request: Request;
  getClientAddress(): string;
}

export interface CallOptions {
  /** The cookie holding the session token: the staff's `session` unless said otherwise (the portal's own). */
  cookie?: string;
}

/**
 * A client of the API for one page request, as whoever the cookie names (anonymously without it). One per
 * request, never shared: the token is read from this request's cookies when each call is made (so a call after
 * the login action sets the cookie already carries it). An answer without a response (the bridge itself failed)
 * is a bug, not an API error: it is thrown, and the page shows its 500.
 */
export function apiClient(event: ApiEvent, { cookie = SESSION_COOKIE }: CallOptions = {}): Client {
  const client = createClient({
    baseUrl: BRIDGE_ORIGIN,
    fetch: bridgeFetch(event),
    auth: () => event.cookies.get(cookie),
  });
  client.interceptors.error.use((err, response) => {
    if (!response) throw err;
    return err;
  });
  return client;
}

export { settle };

// --- Until every page is on the SDK (removed in the same change) ---------------------------------------------

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface LegacyResponse {
  statusCode: number;
  body: string;
  rawPayload: Buffer;
  headers: Record<string, string | string[] | number | undefined>;
}

export async function callApi(
  event: ApiEvent,
  method: Method,
  url: string,
  body?: unknown,
  { cookie = SESSION_COOKIE }: CallOptions = {},
): Promise<LegacyResponse> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = event.cookies.get(cookie);
  if (token) headers.authorization = `Bearer ${token}`;
  for (const name of ['user-agent', 'accept-language']) {
    const value = event.request.headers.get(name);
    if (value) headers[name] = value;
  }
  headers['x-access-via'] = `page:${new URL(event.request.url).pathname}`.slice(0, 120);
  const opts: Record<string, unknown> = { method, url, headers };
  if (body !== undefined) opts.payload = body;
  try {
    opts.remoteAddress = event.getClientAddress();
  } catch {
    /* none */
  }
  return (bridge().inject as unknown as (o: unknown) => Promise<LegacyResponse>)(opts);
}

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

// -------------------------------------------------------------------------------------------------------------

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
 * For `load`: the data of an SDK call, or the matching error page. A lost session goes back to the login page;
 * the API's Romanian message becomes the error page's text.
 */
export async function apiLoad<T>(event: ApiEvent & { url: URL }, call: SdkCall<T> | string): Promise<T> {
  const r = typeof call === 'string' ? await api<T>(event, 'GET', call) : await settle(call);
  if (r.ok) return r.data;
  if (r.status === 401) loginRedirect(event.url);
  error(r.status >= 400 && r.status < 600 ? r.status : 500, r.data.message);
}
