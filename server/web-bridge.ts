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
