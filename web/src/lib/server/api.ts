import { error, redirect, type Cookies } from '@sveltejs/kit';
import { createClient, type Client } from '$lib/api/generated/client';
import { settle, type ApiResult, type SdkCall } from '$lib/api/result';
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

/**
 * The options that send a multipart/form-data body (files) as a stream: a page's form relayed to the API while the
 * browser sends it (web/src/lib/server/form-relay.ts). The routes that take files read them with
 * @fastify/multipart and declare no body in the spec, so the SDK's body type is `never`, and the client's JSON
 * defaults (serializer, Content-Type) are switched off for the relay's own type with its boundary.
 */
export function multipartStream(form: { body: ReadableStream<Uint8Array>; contentType: string }) {
  return {
    body: form.body as never,
    bodySerializer: null,
    headers: { 'Content-Type': form.contentType },
    // A stream as a request body needs it (fetch's rule); the SDK passes it on to the Request.
    duplex: 'half',
  } as const;
}

/** What a download passes on from the API's answer; nothing else of it (cookies, rate-limit headers) reaches the browser. */
const DOWNLOAD_HEADERS = ['content-type', 'content-disposition', 'cache-control', 'x-content-type-options'];

/**
 * A download (PDF, ZIP, photo) from an SDK call made with `parseAs: 'stream'`: the API's bytes with its headers
 * as a Response for the browser, or the API's error.
 */
export async function apiDownload(call: SdkCall<unknown>): Promise<ApiResult<Response>> {
  const answer = await call;
  const r = await settle(Promise.resolve(answer));
  if (!r.ok) return r;
  const headers = new Headers();
  for (const name of DOWNLOAD_HEADERS) {
    const value = answer.response?.headers.get(name);
    if (value) headers.set(name, value);
  }
  const body = answer.data instanceof ReadableStream ? answer.data : null;
  return { ok: true, status: r.status, data: new Response(body, { status: r.status, headers }) };
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
 * For `load`: the data of an SDK call, or the matching error page. A lost session goes back to the login page;
 * the API's Romanian message becomes the error page's text.
 */
export async function apiLoad<T>(event: { url: URL }, call: SdkCall<T>): Promise<T> {
  const r = await settle(call);
  if (r.ok) return r.data;
  if (r.status === 401) loginRedirect(event.url);
  error(r.status >= 400 && r.status < 600 ? r.status : 500, r.data.message);
}
