import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { errorResponses } from '../common.schemas.ts';
import {
  CommentBody,
  CommentSchema,
  CompleteTaskSchema,
  DelegateBody,
  DelegateSchema,
  DelegatesSchema,
  ListTasksQuery,
  SavedFilterSchema,
  SaveFilterBody,
  TaskDetailSchema,
  TaskIdParams,
  TaskListSchema,
  TimelineSchema,
  ReceivedSchema,
} from './tasks.schemas.ts';

/** Agents too: call-backs to consumers (IL-02) are tasks of the call center's job role. */
const STAFF = ['officer', 'supervisor', 'agent'] as const;

const tasksRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { tasksService } = fastify.services;

  fastify.get(
    '/',
    {
      schema: {
        tags: ['tasks'],
        summary:
          "The caller's inbox from the task read model: mine, my job roles' (groups) or all open tasks (supervisor); filters, counts per view, keyset pages sorted by due date",
        querystring: ListTasksQuery,
        response: { 200: TaskListSchema, ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => {
      const { view, scope, order, pageSize, limit, ...filters } = req.query;
      return tasksService.list(principalOf(req), {
        ...filters,
        limit: pageSize ?? limit,
        view: view ?? scope ?? 'groups',
        order: order ?? 'asc',
      });
    },
  );

  fastify.get(
    '/saved-filters',
    {
      schema: {
        tags: ['tasks'],
        summary: "The caller's saved inbox filters",
        response: { 200: Type.Array(SavedFilterSchema), ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => tasksService.savedFilters(principalOf(req)),
  );

  fastify.post(
    '/saved-filters',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Save the current inbox filters under a name (same name replaces)',
        body: SaveFilterBody,
        response: { 201: SavedFilterSchema, ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req, reply) => {
      const saved = await tasksService.saveSavedFilter(principalOf(req), req.body.name, req.body.filters);
      return reply.code(201).send(saved);
    },
  );

  fastify.delete(
    '/saved-filters/:filterId',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Delete one of my saved filters',
        params: Type.Object({ filterId: Type.String({ format: 'uuid' }) }),
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req, reply) => {
      await tasksService.removeSavedFilter(principalOf(req), req.params.filterId);
      return reply.code(204).send(null);
    },
  );

  fastify.get(
    '/:id/delegates',
    {
      schema: {
        tags: ['tasks'],
        summary: "Colleagues holding one of the task's job roles (delegation targets)",
        params: TaskIdParams,
        response: { 200: DelegatesSchema, ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => tasksService.delegates(principalOf(req), req.params.id),
  );

  fastify.post(
    '/:id/delegate',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Delegate my task (or any, as supervisor) to a colleague holding one of its job roles',
        params: TaskIdParams,
        body: DelegateBody,
        response: { 200: DelegateSchema, ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => tasksService.delegate(principalOf(req), req.params.id, req.body.userId),
  );

  fastify.get(
    '/:id/comments',
    {
      schema: {
        tags: ['tasks'],
        summary: "Internal comments on the task's case",
        params: TaskIdParams,
        response: { 200: Type.Array(CommentSchema), ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => tasksService.comments(principalOf(req), req.params.id),
  );

  fastify.post(
    '/:id/comments',
    {
      schema: {
        tags: ['tasks'],
        summary: "Add an internal comment to the task's case (audited)",
        params: TaskIdParams,
        body: CommentBody,
        response: { 201: CommentSchema, ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req, reply) =>
      reply.code(201).send(await tasksService.addComment(principalOf(req), req.params.id, req.body.body)),
  );

  fastify.get(
    '/:id/received',
    {
      schema: {
        tags: ['tasks'],
        summary: "What came in by e-mail for the task's case, with attachments (view audited)",
        params: TaskIdParams,
        response: { 200: ReceivedSchema, ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => tasksService.received(principalOf(req), req.params.id),
  );

  fastify.get(
    '/:id/attachments/:attachmentId',
    {
      schema: {
        tags: ['tasks'],
        summary: "Download an attachment received for the task's case (audited)",
        params: Type.Object({
          id: Type.String({ pattern: '^[\\w-]{1,64}$' }),
          attachmentId: Type.Integer({ minimum: 1 }),
        }),
        response: { 200: Type.Any({ description: 'the attachment as received' }), ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req, reply) => {
      const a = await tasksService.attachment(principalOf(req), req.params.id, req.params.attachmentId);
      return reply
        .header('content-type', a.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(a.filename)}`)
        .send(a.content);
    },
  );

  fastify.get(
    '/:id/timeline',
    {
      schema: {
        tags: ['tasks'],
        summary: "The case's timeline: engine history, user tasks, case events and audit (view audited)",
        params: TaskIdParams,
        response: { 200: TimelineSchema, ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => tasksService.timeline(principalOf(req), req.params.id),
  );

  fastify.get(
    '/:id',
    {
      schema: {
        tags: ['tasks'],
        summary: 'A task with its work instruction and form',
        params: TaskIdParams,
        response: { 200: TaskDetailSchema, ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => tasksService.get(principalOf(req), req.params.id),
  );

  fastify.post(
    '/:id/claim',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Claim a task of one of my job roles',
        params: TaskIdParams,
        response: { 200: Type.Object({ id: Type.String(), assignee: Type.String() }), ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => tasksService.claim(principalOf(req), req.params.id),
  );

  fastify.post(
    '/:id/unclaim',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Give a claimed task back to its group',
        params: TaskIdParams,
        response: { 200: Type.Object({ id: Type.String(), assignee: Type.Null() }), ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => tasksService.unclaim(principalOf(req), req.params.id),
  );

  fastify.post(
    '/:id/complete',
    {
      schema: {
        tags: ['tasks'],
        summary: 'Complete my task with its form (findings, answer, or approval)',
        params: TaskIdParams,
        body: CompleteTaskSchema,
        response: { 200: Type.Object({ id: Type.String(), completed: Type.Boolean() }), ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => tasksService.complete(principalOf(req), req.params.id, req.body),
  );

  fastify.put(
    '/:id/steps/:index',
    {
      schema: {
        tags: ['tasks'],
        summary: "Tick or untick a step of the task's work instruction (0-based; audited)",
        params: Type.Object({
          id: Type.String({ pattern: '^[\\w-]{1,64}$' }),
          index: Type.Integer({ minimum: 0, maximum: 50 }),
        }),
        body: Type.Object({ done: Type.Boolean() }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            id: Type.String(),
            instructionId: Type.String(),
            steps: Type.Integer(),
            stepsDone: Type.Array(Type.Integer()),
          }),
          ...errorResponses,
        },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => tasksService.tickStep(principalOf(req), req.params.id, req.params.index, req.body.done),
  );
};

export default tasksRoutes;
