import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { caseLinks, caseVersionsOf } from '../../../cases/index.ts';
import { contestAnswer } from '../../../intake/index.ts';
import { CaseNumber, IsoDate, IsoDateTime, errorResponses, Nullable } from '../common.schemas.ts';
import { RegisteredComplaintSchema } from '../complaints/complaints.schemas.ts';

const NumberParams = Type.Object({ number: CaseNumber });
const LinkedCase = Type.Object({
  number: Type.String(),
  status: Type.String(),
  receivedAt: IsoDateTime,
  dueDate: IsoDate,
});

/**
 * The consumer contests the answer: a linked new case (mounted under /api/complaints). The original case is never
 * changed; both cases show the link.
 */
const caseLineageRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const registerDeps = fastify.registerDeps;

  fastify.post(
    '/:number/contestations',
    {
      schema: {
        tags: ['complaints'],
        summary:
          'Register the consumer contesting the answer of a case: a new linked case ("handling of earlier complaints")',
        params: NumberParams,
        body: Type.Object(
          {
            channel: Type.Union(
              [Type.Literal('call_center'), Type.Literal('email'), Type.Literal('portal')],
              {
                default: 'call_center',
                description: 'How the contestation reached us',
              },
            ),
            body: Type.String({ minLength: 1, maxLength: 20000 }),
            subject: Type.Optional(Type.String({ maxLength: 200 })),
            contactEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
            contactPhone: Type.Optional(Type.String({ maxLength: 40 })),
            receivedAt: Type.Optional(IsoDateTime),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            ...RegisteredComplaintSchema.properties,
            contests: Type.Object({ number: Type.String(), status: Type.String() }),
          }),
          ...errorResponses,
        },
      },
      config: { roles: ['agent', 'officer', 'supervisor'] },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const result = await contestAnswer(registerDeps, {
        ...req.body,
        receivedAt: req.body.receivedAt ? new Date(req.body.receivedAt) : undefined,
        tenantId: p.tenantId,
        number: req.params.number,
        actor: { id: p.userId, kind: 'user' },
      });
      return reply.status(201).send(result);
    },
  );

  fastify.get(
    '/:number/links',
    {
      schema: {
        tags: ['complaints'],
        summary: 'The case this one contests and the later cases that contest its answer',
        params: NumberParams,
        response: {
          200: Type.Object({
            number: Type.String(),
            contests: Nullable(LinkedCase),
            contestedBy: Type.Array(LinkedCase),
          }),
          ...errorResponses,
        },
      },
      config: { roles: ['agent', 'officer', 'supervisor', 'admin'] },
    },
    async (req) => caseLinks(registerDeps.db, principalOf(req).tenantId, req.params.number),
  );

  fastify.get(
    '/:number/versions',
    {
      schema: {
        tags: ['complaints'],
        summary:
          'The process versions (main and called sub-processes, SHA-256 of the deployed XML) and instruction versions the case ran under',
        params: NumberParams,
        response: {
          200: Type.Object({
            number: Type.String(),
            recorded: Type.Boolean({
              description:
                'True once recorded on the case at its end; false while computed from the running case',
            }),
            processHash: Nullable(Type.String()),
            instructionsHash: Nullable(Type.String()),
            processes: Type.Record(
              Type.String(),
              Type.Object({
                definitionId: Type.String(),
                version: Nullable(Type.Integer()),
                hash: Type.String(),
              }),
            ),
            instructions: Type.Record(Type.String(), Type.String()),
            recordedAt: IsoDateTime,
          }),
          ...errorResponses,
        },
      },
      config: { roles: ['officer', 'supervisor', 'designer', 'admin'] },
    },
    async (req) => caseVersionsOf(registerDeps, principalOf(req).tenantId, req.params.number),
  );
};

export default caseLineageRoutes;
