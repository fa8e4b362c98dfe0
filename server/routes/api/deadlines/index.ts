import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { computeDeadline, COUNTING_READING_LABELS } from '../../../deadlines/index.ts';
import { CaseNumber, errorResponses, IsoDate, Nullable } from '../common.schemas.ts';
import { CategorySchema } from '../complaints/complaints.schemas.ts';
import { extensionOptions, requestDeadlineExtension } from '../../../cases/index.ts';

const deadlinesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { db } = fastify.registerDeps;

  fastify.post(
    '/extension-requests',
    {
      schema: {
        tags: ['deadlines'],
        summary:
          "Propose to extend a case's deadline (IL-32): the supervisor (SEF) approves it in the inbox; applied only if the notice reaches the consumer before the original due date",
        body: Type.Object(
          {
            caseNumber: Type.String({ minLength: 3, maxLength: 40 }),
            reason: Type.String({ minLength: 10, maxLength: 2000 }),
            days: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: 90,
                description:
                  "Days to add, in the rule's unit (or give newDueDate); at most the category's maximum",
              }),
            ),
            newDueDate: Type.Optional(
              Type.String({
                pattern: '^\\d{4}-\\d{2}-\\d{2}$',
                description:
                  "The new due date proposed (YYYY-MM-DD): after the current one, within the category's maximum extension, a working day",
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            caseNumber: Type.String(),
            requested: Type.Boolean(),
            days: Nullable(Type.Integer(), {
              description: "Days asked, in the rule's unit",
            }),
            newDueDate: Nullable(IsoDate),
          }),
          ...errorResponses,
        },
      },
      config: { roles: ['officer', 'supervisor'] },
    },
    async (req) => {
      const p = principalOf(req);
      return requestDeadlineExtension(
        { db, engine: fastify.registerDeps.engine },
        { tenantId: p.tenantId, userId: p.userId, roles: p.roles },
        req.body,
      );
    },
  );
  fastify.get(
    '/extension-options/:number',
    {
      schema: {
        tags: ['deadlines'],
        summary:
          "What the case page offers about extending a case's deadline: may this person propose one now, the latest date the category allows, a proposal waiting for SEF",
        params: Type.Object({ number: CaseNumber }),
        response: {
          200: Type.Object({
            caseNumber: Type.String(),
            canPropose: Type.Boolean(),
            blockedReason: Nullable(Type.String(), {
              description: 'Why no extension can be proposed now (Romanian, for the page)',
            }),
            dueDate: IsoDate,
            originalDueDate: Nullable(IsoDate),
            extendedAt: Nullable(Type.String()),
            extensionReason: Nullable(Type.String()),
            maxDays: Type.Integer({ description: "The category rule's maximum extension" }),
            unit: Type.Union([Type.Literal('working'), Type.Literal('calendar')]),
            latestDueDate: Nullable(IsoDate),
            pendingApproval: Nullable(
              Type.Object({
                taskId: Nullable(Type.String(), {
                  description: "SEF's approval task (given to supervisors only)",
                }),
                created: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
      config: { roles: ['officer', 'supervisor'] },
    },
    async (req) => {
      const p = principalOf(req);
      return extensionOptions(
        { db, engine: fastify.registerDeps.engine },
        { tenantId: p.tenantId, userId: p.userId, roles: p.roles },
        req.params.number,
      );
    },
  );
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
