import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { errorResponses, Uuid } from '../common.schemas.ts';

const HolderSchema = Type.Object({
  userId: Type.String(),
  name: Type.String(),
  email: Type.String(),
  active: Type.Boolean(),
});
const JobRoleSchema = Type.Object({
  code: Type.String({ description: 'The candidate group of the BPMN user tasks.' }),
  name: Type.String(),
  holders: Type.Array(HolderSchema),
});
const OrgChartSchema = Type.Object({
  departments: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), jobRoles: Type.Array(JobRoleSchema) }),
  ),
  staff: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      email: Type.String(),
      roles: Type.Array(Type.String()),
      active: Type.Boolean(),
      jobRoles: Type.Array(Type.String()),
    }),
  ),
});

const orgChartRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { orgChartService } = fastify.services;

  fastify.get(
    '/',
    {
      schema: {
        tags: ['org-chart'],
        summary: "The tenant's departments, job roles and their holders, and the staff",
        response: { 200: OrgChartSchema, ...errorResponses },
      },
      config: { roles: ['admin', 'supervisor'] },
    },
    async (req) => orgChartService.get(principalOf(req)),
  );

  fastify.put(
    '/job-roles/:code/holders',
    {
      schema: {
        tags: ['org-chart'],
        summary: 'Set who holds a job role (replaces the list; audited; effective on the next request)',
        params: Type.Object({ code: Type.String({ pattern: '^[A-Z]{2,10}$' }) }),
        body: Type.Object({ userIds: Type.Array(Uuid, { maxItems: 500 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            ...JobRoleSchema.properties,
            added: Type.Integer(),
            removed: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
      config: { roles: ['admin'] },
    },
    async (req) => orgChartService.setHolders(principalOf(req), req.params.code, req.body.userIds),
  );
};

export default orgChartRoutes;
