import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { computeDeadline } from '../../../deadlines/deadlines.service.ts';
import { COUNTING_READING_LABELS } from '../../../deadlines/calendar.ts';
import { errorResponses, IsoDate } from '../common.schemas.ts';
import { CategorySchema } from '../complaints/complaints.schemas.ts';

const deadlinesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { db } = fastify.registerDeps;
  fastify.get(
    '/preview',
    {
      schema: {
        tags: ['deadlines'],
        summary: 'What a complaint of this category received at this moment would get',
        querystring: Type.Object({
          category: CategorySchema,
          receivedAt: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: {
          200: Type.Object({
            category: Type.String(),
            receivedAt: Type.String(),
            registeredOn: IsoDate,
            dueDate: IsoDate,
            rule: Type.Object({ days: Type.Integer(), unit: Type.String(), legalBasis: Type.String() }),
            reading: Type.Object(
              {
                code: Type.Union([Type.Literal('civil_code'), Type.Literal('free_days')]),
                label: Type.String(),
              },
              { description: "The tenant's counting reading the due date was computed with" },
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const receivedAt = req.query.receivedAt ? new Date(req.query.receivedAt) : new Date();
      const d = await computeDeadline(db, principalOf(req).tenantId, req.query.category, receivedAt);
      return {
        category: req.query.category,
        receivedAt: receivedAt.toISOString(),
        registeredOn: d.registeredOn,
        dueDate: d.dueDate,
        rule: d.rule,
        reading: { code: d.reading, label: COUNTING_READING_LABELS[d.reading] },
      };
    },
  );
};

export default deadlinesRoutes;
