import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../../db/client.ts';
import { DomainError } from '../../../errors.ts';
import { type RegisterDeps } from '../../../intake/index.ts';
import type { Mailer } from '../../../mail/mailer.ts';
import {
  createPortalAuthService,
  createPortalService,
  MAX_FILE_BYTES,
  MAX_FILES,
} from '../../../portal/index.ts';
import accountRoutes from './account.routes.ts';
import casesRoutes from './cases.routes.ts';
import sessionRoutes from './session.routes.ts';
import './route-config.ts'; // declares the request's `consumer` and the routes' `portalPublic`
import { scopeToTenant } from '../../../db/tenant-scope.ts';

export interface PortalRoutesOptions {
  db: Db;
  registerDeps: RegisterDeps;
  mailer: Mailer | undefined;
  publicUrl: string;
}

/**
 * The consumer portal's API. Consumers authenticate with a one-time code sent by e-mail and get their own
 * session (Bearer token), which only these routes accept; staff sessions are not accepted here, and consumer
 * tokens are not accepted anywhere else. The supplier (tenant) is chosen at login and then comes from the session.
 * This plugin holds the session check and the upload limits; the routes are in session.routes.ts (signing in),
 * account.routes.ts (the account, its links, a GDPR request) and cases.routes.ts (one's cases).
 */
const portalRoutes: FastifyPluginAsyncTypebox<PortalRoutesOptions> = async (fastify, opts) => {
  const authService = createPortalAuthService({
    db: opts.db,
    secret: opts.registerDeps.secret,
    mailer: opts.mailer,
    publicUrl: opts.publicUrl,
    log: opts.registerDeps.log,
  });
  const portal = createPortalService(opts.registerDeps);

  await fastify.register(multipart, {
    limits: { fileSize: MAX_FILE_BYTES + 1, files: MAX_FILES, fields: 20, fieldSize: 100 * 1024, parts: 30 },
  });

  fastify.decorateRequest('consumer', null);
  // The staff hook (plugins/auth.ts) skips these routes (they are marked public for it); this one takes over.
  fastify.addHook('onRequest', async (req) => {
    if (req.routeOptions.config?.portalPublic) return;
    const h = req.headers.authorization;
    const token = h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
    if (!token) throw new DomainError('PORTAL_SESSION_INVALID');
    const consumer = await authService.validateSessionToken(token);
    if (!consumer) throw new DomainError('PORTAL_SESSION_INVALID');
    req.consumer = consumer;
    // From here on the request sees only its supplier's rows (row-level security, server/db/tenant-scope.ts).
    scopeToTenant(consumer.tenantId);
  });

  // Registered in this order so the OpenAPI spec lists the routes as before.
  await fastify.register(sessionRoutes, { db: opts.db, authService });
  await fastify.register(accountRoutes, { portal, registerDeps: opts.registerDeps, mailer: opts.mailer });
  await fastify.register(casesRoutes, { portal });
};

export default portalRoutes;
