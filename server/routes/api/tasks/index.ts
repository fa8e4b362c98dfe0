import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { errorResponses } from '../common.schemas.ts';
import {
  CompleteTaskSchema,
  ListTasksQuery,
  TaskDetailSchema,
  TaskIdParams,
  TaskListSchema,
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
        summary: "The caller's inbox: mine, my job roles' (groups) or all open tasks (supervisor)",
        querystring: ListTasksQuery,
        response: { 200: TaskListSchema, ...errorResponses },
      },
      config: { roles: [...STAFF] },
    },
    async (req) => tasksService.list(principalOf(req), req.query.scope, req.query.page, req.query.pageSize),
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
