import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { deadlineRisks, type DeadlineRisk } from '../../../codes/deadline-risk.ts';
import { principalOf } from '../../../plugins/auth.ts';
import { IsoDate, PageQuery, Uuid, errorResponses, Nullable } from '../common.schemas.ts';

/** One of deadlineRisks (server/codes/deadline-risk.ts), as `anyOf` its literals. */
const RiskSchema = Type.Unsafe<DeadlineRisk>(Type.Union(deadlineRisks.map((r) => Type.Literal(r))));

const OpenCaseSchema = Type.Object({
  number: Type.String(),
  status: Type.String(),
  category: Type.String(),
  channel: Type.String(),
  subject: Type.String(),
  contactName: Type.String(),
  registeredOn: IsoDate,
  dueDate: IsoDate,
  extended: Type.Boolean(),
  risk: RiskSchema,
  timeLeft: Type.Object({
    workingDays: Type.Integer({ description: 'Working days after today up to the due date' }),
    calendarDays: Type.Integer({ description: 'Negative when the due date has passed' }),
  }),
  progress: Type.Object({
    completedTasks: Type.Integer(),
    openTasks: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        instructionId: Nullable(Type.String()),
        assignee: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
        candidateGroups: Type.Array(Type.String()),
      }),
    ),
    steps: Type.Object({ total: Type.Integer(), done: Type.Integer() }),
  }),
});

const LoadCounts = {
  open: Type.Integer(),
  overdue: Type.Integer(),
  atRisk: Type.Integer(),
};

/** The supervisor view (issue 5 point 2): open cases at risk first, workload, reassign, incidents, statistics. */
const supervisionRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { supervisionService } = fastify.services;
  const config = { roles: ['supervisor' as const] };

  fastify.get(
    '/cases',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Every open case with its degree of execution and time left; late and at-risk cases first',
        querystring: Type.Object({ ...PageQuery, risk: Type.Optional(RiskSchema) }),
        response: {
          200: Type.Object({
            today: IsoDate,
            warnWorkingDaysBefore: Type.Integer(),
            counts: Type.Object({ open: Type.Integer(), late: Type.Integer(), atRisk: Type.Integer() }),
            items: Type.Array(OpenCaseSchema),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
      config,
    },
    async (req) =>
      supervisionService.openCases(principalOf(req), req.query.page, req.query.pageSize, req.query.risk),
  );

  fastify.get(
    '/workload',
    {
      schema: {
        tags: ['supervision'],
        summary:
          'Open tasks per officer (held) and per job role (queued or held), with overdue and at-risk counts',
        response: {
          200: Type.Object({
            officers: Type.Array(
              Type.Object({
                userId: Type.String(),
                name: Type.String(),
                jobRoles: Type.Array(Type.String()),
                ...LoadCounts,
              }),
            ),
            roles: Type.Array(
              Type.Object({
                code: Type.String(),
                name: Type.String(),
                holders: Type.Integer(),
                unassigned: Type.Integer(),
                ...LoadCounts,
              }),
            ),
          }),
          ...errorResponses,
        },
      },
      config,
    },
    async (req) => supervisionService.workload(principalOf(req)),
  );

  fastify.put(
    '/tasks/:taskId/assignee',
    {
      schema: {
        tags: ['supervision'],
        summary:
          'Reassign an open task to an officer who holds one of its job roles (through the engine; audited)',
        params: Type.Object({
          taskId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }),
        }),
        body: Type.Object({ userId: Uuid }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            taskId: Type.String(),
            name: Type.String(),
            assignee: Type.Object({ id: Type.String(), name: Type.String() }),
          }),
          ...errorResponses,
        },
      },
      config,
    },
    async (req) => supervisionService.reassign(principalOf(req), req.params.taskId, req.body.userId),
  );

  fastify.get(
    '/incidents',
    {
      schema: {
        tags: ['supervision'],
        summary: "Incidents of the tenant's processes (failed worker jobs) with their error, newest first",
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              type: Type.String(),
              at: Type.String(),
              activityId: Nullable(Type.String()),
              message: Nullable(Type.String()),
              details: Nullable(Type.String()),
              caseNumber: Nullable(Type.String()),
            }),
          ),
          ...errorResponses,
        },
      },
      config,
    },
    async (req) => supervisionService.incidents(principalOf(req)),
  );

  fastify.post(
    '/incidents/:incidentId/retry',
    {
      schema: {
        tags: ['supervision'],
        summary:
          'Give the failed job one more attempt (the engine resolves the incident; a worker picks it up)',
        params: Type.Object({
          incidentId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }),
        }),
        response: { 200: Type.Object({ id: Type.String(), retried: Type.Boolean() }), ...errorResponses },
      },
      config,
    },
    async (req) => supervisionService.retry(principalOf(req), req.params.incidentId),
  );

  fastify.get(
    '/stats',
    {
      schema: {
        tags: ['supervision'],
        summary: 'Complaints registered per category and per channel in a period (registration dates)',
        querystring: Type.Object({ from: IsoDate, to: IsoDate }),
        response: {
          200: Type.Object({
            from: IsoDate,
            to: IsoDate,
            total: Type.Integer(),
            byCategory: Type.Array(Type.Object({ key: Type.String(), count: Type.Integer() })),
            byChannel: Type.Array(Type.Object({ key: Type.String(), count: Type.Integer() })),
          }),
          ...errorResponses,
        },
      },
      config,
    },
    async (req) => supervisionService.stats(principalOf(req), req.query.from, req.query.to),
  );
};

export default supervisionRoutes;
