import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { createIdentificationService } from '../../../identification/index.ts';
import { viaOf } from '../../../audit/index.ts';
import { CaseNumber, errorResponses, Uuid, Nullable } from '../common.schemas.ts';

const CandidateSchema = Type.Object({
  customerId: Type.String(),
  customerCode: Type.String(),
  name: Type.String(),
  address: Type.String(),
  placeId: Nullable(Type.String()),
  placeCode: Nullable(Type.String()),
  placeAddress: Nullable(Type.String()),
  energy: Nullable(Type.String()),
  score: Type.Number({ minimum: 0, maximum: 1 }),
  certain: Type.Boolean(),
  evidence: Type.Array(Type.Object({ kind: Type.String(), weight: Type.Number() })),
  confirmed: Type.Boolean(),
});

const IdentificationSchema = Type.Object({
  number: CaseNumber,
  subject: Type.String(),
  contactName: Nullable(Type.String()),
  contactEmail: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  current: Nullable(
    Type.Object({
      customerId: Type.String(),
      customerCode: Type.String(),
      name: Type.String(),
      placeId: Nullable(Type.String()),
      placeCode: Nullable(Type.String()),
    }),
  ),
  task: Nullable(
    Type.Object({ id: Type.String(), assignee: Nullable(Type.String()), assignedToMe: Type.Boolean() }),
  ),
  candidates: Type.Array(CandidateSchema),
});

const ConfirmSchema = Type.Object(
  { customerId: Uuid, placeId: Type.Optional(Nullable(Uuid)) },
  { additionalProperties: false },
);

const ConfirmedSchema = Type.Object({
  number: CaseNumber,
  customerId: Type.String(),
  customerCode: Type.String(),
  placeId: Nullable(Type.String()),
  placeCode: Nullable(Type.String()),
  taskCompleted: Type.Boolean(),
});

const Params = Type.Object({ number: CaseNumber });

/** The "identify consumer" task: scored candidates of a case and the officer's confirmation. */
const identificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const service = createIdentificationService(fastify.registerDeps);

  fastify.get(
    '/:number',
    {
      schema: {
        tags: ['identification'],
        summary:
          'Scored customer/place candidates of a case and its open identify task (the view is audited)',
        params: Params,
        response: { 200: IdentificationSchema, ...errorResponses },
      },
      config: { roles: ['officer', 'supervisor'] },
    },
    async (req) => service.candidates(principalOf(req), req.params.number, viaOf(req)),
  );

  fastify.post(
    '/:number/confirmation',
    {
      schema: {
        tags: ['identification'],
        summary:
          "Confirm who complained (a candidate or any customer found by search): sets the case's customer and place and completes the identify task",
        params: Params,
        body: ConfirmSchema,
        response: { 200: ConfirmedSchema, ...errorResponses },
      },
      config: { roles: ['officer', 'supervisor'] },
    },
    async (req) => service.confirm(principalOf(req), req.params.number, req.body),
  );
};

export default identificationRoutes;
