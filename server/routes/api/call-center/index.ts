import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { viaOf } from '../../../audit/index.ts';
import { createCallCenterService } from '../../../intake/index.ts';
import type { PermissionRole } from '../../../db/schema/index.ts';
import { CaseNumber, errorResponses, IsoDate, IsoDateTime, Uuid, Nullable } from '../common.schemas.ts';
import {
  CategorySchema,
  CreateComplaintSchema,
  RegisteredComplaintSchema,
} from '../complaints/complaints.schemas.ts';

const ROLES: PermissionRole[] = ['agent', 'officer', 'supervisor'];

const EarlierCaseSchema = Type.Object({
  number: CaseNumber,
  customerId: Type.String(),
  placeId: Nullable(Type.String()),
  category: CategorySchema,
  subject: Type.String(),
  status: Type.String(),
  receivedAt: IsoDateTime,
  dueDate: IsoDate,
  closedAt: Nullable(IsoDateTime),
});

const PhoneComplaintSchema = Type.Object(
  {
    ...CreateComplaintSchema.properties,
    resolution: Type.Optional(
      Type.String({
        minLength: 10,
        maxLength: 5000,
        description: 'Set when the agent resolved the complaint during the call (first-contact resolution)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The call-center console: a customer's earlier cases, registration during the call, resolution on the spot. */
const callCenterRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const service = createCallCenterService(fastify.registerDeps);

  fastify.get(
    '/earlier-cases',
    {
      schema: {
        tags: ['call-center'],
        summary: "The found customers' earlier cases, newest first (at most 10 each; the view is audited)",
        querystring: Type.Object(
          { customerId: Type.Array(Uuid, { minItems: 1, maxItems: 20 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(EarlierCaseSchema) }), ...errorResponses },
      },
      config: { roles: ROLES },
    },
    async (req) => ({
      items: await service.earlierCases(principalOf(req), req.query.customerId, viaOf(req)),
    }),
  );

  fastify.post(
    '/complaints',
    {
      schema: {
        tags: ['call-center'],
        summary:
          'Register a complaint during the call; with `resolution` it is resolved on the spot and the process closes it without an officer task',
        body: PhoneComplaintSchema,
        response: {
          201: Type.Object({ ...RegisteredComplaintSchema.properties, resolvedDuringCall: Type.Boolean() }),
          ...errorResponses,
        },
      },
      config: { roles: ROLES },
    },
    async (req, reply) => reply.status(201).send(await service.register(principalOf(req), req.body)),
  );
};

export default callCenterRoutes;
