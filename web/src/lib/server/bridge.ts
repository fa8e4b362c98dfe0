import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Cookies } from '@sveltejs/kit';

/**
 * The in-process way from the pages to the API: fastify's `inject`, installed by server/web-bridge.ts under a
 * global symbol (the pages are bundled by Vite apart from the server, so they cannot import it). Every call goes
 * through the API's validation, authorisation and audit as an integrator's would, without a network hop.
 * `bridgeFetch` wraps it as a `fetch`, the shape the generated client (web/src/lib/api/generated) calls.
 */

const BRIDGE_KEY = Symbol.for('reclamatii.web-bridge');

interface InjectOptions {
  method: string;
  url: string;
  payload?: Buffer;
  headers: Record<string, string>;
  remoteAddress?: string;
}

interface InjectResponse {
  statusCode: number;
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

/** What a page event gives the bridge: the cookies, the browser's request and who is asking. */
export interface BridgeEvent {
  cookies: Pick<Cookies, 'get'>;
  request: Request;
  getClientAddress(): string;
}

function clientAddress(event: BridgeEvent): string | undefined {
  try {
    return event.getClientAddress();
  } catch {
    return undefined;
  }
}

/** Statuses whose answer has no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 204, 205, 304]);

/**
 * A `fetch` that hands the request to the API in-process, as the page's visitor: the browser's user agent and
 * language, the page that asked (`x-access-via`, why personal data is read: the access log, issue 13 item 7) and
 * the client's address as the call's socket address. That address is the one fastify decided for the page request
 * (server/web-bridge.ts CLIENT_ADDRESS_HEADER, read by adapter-node's getClientAddress), never a forwarding header,
 * so a header the client wrote cannot reach the API's rate limits. The URL's origin is ignored: only its path and
 * query reach the API.
 */
export function bridgeFetch(event: BridgeEvent): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request && !init ? input : new Request(input, init);
    const url = new URL(request.url);
    const headers: Record<string, string> = { accept: 'application/json' };
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    for (const name of ['user-agent', 'accept-language']) {
      const value = event.request.headers.get(name);
      if (value) headers[name] = value;
    }
    headers['x-access-via'] = `page:${new URL(event.request.url).pathname}`.slice(0, 120);
    const opts: InjectOptions = { method: request.method, url: url.pathname + url.search, headers };
    // JSON and multipart bodies alike pass as the bytes the client serialised, with its content type (and boundary),
    // streamed: the API counts an upload while reading it (no second copy of the files in memory here).
    // (light-my-request takes a stream; its type in the web build's view lists only buffers and strings.)
    if (request.body)
      opts.payload = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>) as unknown as Buffer;
    const remoteAddress = clientAddress(event);
    if (remoteAddress) opts.remoteAddress = remoteAddress;

    const res = await bridge().inject(opts);
    const out = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) out.append(name, v);
      else out.set(name, String(value));
    }
    const body = NULL_BODY.has(res.statusCode) ? null : new Uint8Array(res.rawPayload);
    return new Response(body, { status: res.statusCode, headers: out });
  };
}
