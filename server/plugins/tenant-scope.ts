import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { runInOpenScope } from '../db/tenant-scope.ts';

/**
 * Every request runs in its own tenant scope (server/db/tenant-scope.ts), open at first: it sees no tenant's rows
 * until authentication names the tenant (the staff session's, the portal's tenant code). The hook is the first
 * one of the request, and it runs the rest of the request (hooks, handler, serialisation) inside `done`, which is
 * how the scope reaches them.
 */
export default fp(
  async function tenantScope(fastify: FastifyInstance) {
    fastify.addHook('onRequest', (_req, _reply, done) => {
      runInOpenScope(() => done());
    });
  },
  { name: 'tenant-scope' },
);
