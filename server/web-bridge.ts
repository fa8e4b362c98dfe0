import type { FastifyInstance } from 'fastify';

/**
 * How SvelteKit's server code (bundled separately by Vite) reaches this process's API: through `app.inject`, so
 * the pages go through exactly the same validation, authorisation and audit as integrators, without a network
 * hop. web/src/lib/server/api.ts reads the same global key.
 */
export const WEB_BRIDGE_KEY = Symbol.for('reclamatii.web-bridge');

export interface WebBridge {
  inject: FastifyInstance['inject'];
  publicUrl: string;
  production: boolean;
}

export function installWebBridge(app: FastifyInstance, publicUrl: string, production: boolean): void {
  (globalThis as Record<symbol, unknown>)[WEB_BRIDGE_KEY] = {
    inject: app.inject.bind(app),
    publicUrl,
    production,
  } satisfies WebBridge;
}

/**
 * The header through which the pages learn the client's address: fastify decides it (the socket's, or the one a
 * trusted proxy forwarded) and server/app.ts writes it on every request it hands to SvelteKit, replacing whatever a
 * client sent. adapter-node's getClientAddress reads it (ADDRESS_HEADER), and web/src/lib/server/api.ts passes it
 * to the API as the socket address of its in-process call, never a forwarding header.
 */
export const CLIENT_ADDRESS_HEADER = 'x-reclamatii-client-address';

/** Environment adapter-node reads when its handler module loads: call before importing web/build/handler.js. */
export function prepareWebEnvironment(publicUrl: string): void {
  // adapter-node checks form posts against ORIGIN (CSRF); it is our public origin.
  process.env.ORIGIN ??= publicUrl;
  // The consumer portal's forms carry photos and files: at most 25 MB together (server/portal/uploads.ts), plus the
  // form's fields and multipart framing. adapter-node refuses a larger body with 413 from its Content-Length, or
  // while reading a chunked one, before a page reads it; the API then checks each file while it streams.
  process.env.BODY_SIZE_LIMIT ??= '26M';
  process.env.ADDRESS_HEADER = CLIENT_ADDRESS_HEADER;
}
