import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { errorResponses } from '../common.schemas.ts';
import { ApprovedGrantSchema, GrantIdParams, RoleGrantListSchema } from './role-grants.schemas.ts';

/**
 * Grants of the designer and admin roles waiting for a second admin of the tenant (two-person rule): listed,
 * approved by an admin other than the one who asked and the one who would receive them, or refused. Audited.
 */
const roleGrantsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { roleGrantsService } = fastify.services;
  const admin = { roles: ['admin' as const] };
  const tags = ['users'];

  fastify.get(
    '/',
    {
      schema: {
        tags,
        summary: 'Designer/admin grants of this tenant waiting for a second admin',
        response: { 200: RoleGrantListSchema, ...errorResponses },
      },
      config: admin,
    },
    async (req) => roleGrantsService.list(principalOf(req)),
  );

  fastify.post(
    '/:grantId/approval',
    {
      schema: {
        tags,
        summary: 'Approve a grant: the roles apply at once (audited)',
        description:
          'Only an admin other than the one who asked (403 ROLE_GRANT_SAME_ADMIN) and other than the person receiving them (403 ROLE_GRANT_OWN); needs a recent re-authentication (403 AUTH_REAUTH_REQUIRED).',
        params: GrantIdParams,
        response: { 200: ApprovedGrantSchema, ...errorResponses },
      },
      config: admin,
    },
    async (req) => roleGrantsService.approve(principalOf(req), req.params.grantId),
  );

  fastify.post(
    '/:grantId/rejection',
    {
      schema: {
        tags,
        summary: "Refuse a grant (or withdraw one's own request); audited",
        params: GrantIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: admin,
    },
    async (req, reply) => {
      await roleGrantsService.reject(principalOf(req), req.params.grantId);
      return reply.status(204).send(null);
    },
  );
};

export default roleGrantsRoutes;
