import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { errorResponses, IsoDate } from '../common.schemas.ts';

const NonWorkingDaySchema = Type.Object({ day: IsoDate, reason: Type.String() });

/** The tenant's extra non-working days, on top of the legal holidays (e.g. a company day off). */
const nonWorkingDaysRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { deadlineRulesService } = fastify.services;

  fastify.get(
    '/',
    {
      schema: {
        tags: ['deadline-rules'],
        summary: "The tenant's extra non-working days (optionally of one year)",
        querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }),
        response: { 200: Type.Object({ items: Type.Array(NonWorkingDaySchema) }), ...errorResponses },
      },
      config: { roles: ['admin', 'supervisor'] },
    },
    async (req) => ({ items: await deadlineRulesService.listExtraDays(principalOf(req), req.query.year) }),
  );

  fastify.post(
    '/',
    {
      schema: {
        tags: ['deadline-rules'],
        summary: 'Add an extra non-working day (counts for deadlines computed from now on; audited)',
        body: Type.Object(
          { day: IsoDate, reason: Type.String({ minLength: 3, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 201: NonWorkingDaySchema, ...errorResponses },
      },
      config: { roles: ['admin'] },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await deadlineRulesService.addExtraDay(principalOf(req), req.body.day, req.body.reason)),
  );

  fastify.delete(
    '/:day',
    {
      schema: {
        tags: ['deadline-rules'],
        summary: 'Remove an extra non-working day (audited)',
        params: Type.Object({ day: IsoDate }),
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { roles: ['admin'] },
    },
    async (req, reply) => {
      await deadlineRulesService.removeExtraDay(principalOf(req), req.params.day);
      return reply.status(204).send(null);
    },
  );
};

export default nonWorkingDaysRoutes;
