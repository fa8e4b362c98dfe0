import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CaseNumber, errorResponses, IsoDate, Nullable } from '../common.schemas.ts';

const StatusSchema = Type.Object({
  number: Type.String(),
  supplier: Type.String(),
  status: Type.String(),
  statusLabel: Type.String(),
  category: Type.String(),
  subject: Type.String(),
  receivedAt: Type.String(),
  registeredOn: IsoDate,
  dueDate: IsoDate,
  answerSentAt: Nullable(Type.String()),
  timeline: Type.Array(Type.Object({ at: Type.String(), type: Type.String(), message: Type.String() })),
});

const statusRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { casesService } = fastify.services;
  fastify.get(
    '/:number',
    {
      schema: {
        tags: ['public'],
        summary: "The consumer's status page: number + access code (no login)",
        params: Type.Object({ number: CaseNumber }),
        querystring: Type.Object({ code: Type.String({ minLength: 4, maxLength: 20 }) }),
        response: { 200: StatusSchema, ...errorResponses },
      },
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req) => casesService.publicStatus(req.params.number, req.query.code),
  );
};

export default statusRoutes;
