import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { PermissionRole } from '../db/schema/index.ts';
import { scopeToTenant } from '../db/tenant-scope.ts';
import { DomainError } from '../errors.ts';
import type { AuthService, Principal } from '../auth/auth.service.ts';

export const SESSION_COOKIE = 'session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Public routes skip authentication. */
    public?: boolean;
    /** Permission roles allowed; any authenticated staff member when absent. */
    roles?: PermissionRole[];
  }
}

/** The host of an Origin header; null for `null` (sandboxed frames, privacy redirects) or anything unparsable. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

/**
 * Authentication and authorisation for /api: the session comes from a Bearer token (integrators, and our own
 * pages' server side) or the HttpOnly cookie (the browser). Cookie-authenticated writes must come from our own
 * origin (CSRF). The tenant is always the session's, never the request's.
 */
export default fp(
  async function auth(fastify: FastifyInstance, opts: { authService: AuthService; publicUrl: string }) {
    const allowedOrigin = new URL(opts.publicUrl).origin;
    fastify.decorateRequest('principal', null);

    // Public is what a route declares (`config: { public: true }`), never guessed from the URL: a route someone adds
    // without it needs a session. A request no route matched goes to the not-found handler, which answers 404 for
    // /api or hands it to the pages (they reach data only through this API, hence through this hook).
    const isPublic = (req: FastifyRequest) => req.is404 || req.routeOptions.config?.public === true;

    fastify.addHook('onRequest', async (req: FastifyRequest) => {
      if (isPublic(req)) return;
      const token = bearer(req) ?? req.cookies[SESSION_COOKIE] ?? null;
      if (!token) throw new DomainError('AUTH_REQUIRED');
      if (!bearer(req) && !['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
        const origin = req.headers.origin;
        const host = req.headers.host;
        const sameOrigin =
          origin === allowedOrigin || (origin !== undefined && host !== undefined && hostOf(origin) === host);
        if (!sameOrigin) throw new DomainError('CSRF_ORIGIN_MISMATCH');
      }
      const principal = await opts.authService.validateSessionToken(token);
      if (!principal) throw new DomainError('AUTH_SESSION_INVALID');
      req.principal = principal;
      // From here on the request sees only its tenant's rows (row-level security, server/db/tenant-scope.ts).
      scopeToTenant(principal.tenantId);
    });

    fastify.addHook('preHandler', async (req: FastifyRequest, _reply: FastifyReply) => {
      if (isPublic(req)) return;
      const roles = req.routeOptions.config?.roles;
      if (roles && !roles.some((r) => req.principal?.roles.includes(r)))
        throw new DomainError('AUTH_FORBIDDEN');
    });
  },
  { name: 'auth', dependencies: ['@fastify/cookie'] },
);

/** The caller's principal on an authenticated route (the hook guarantees it). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new DomainError('AUTH_REQUIRED');
  return req.principal;
}
