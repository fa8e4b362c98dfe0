import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { errorResponses } from '../common.schemas.ts';
import {
  CategoryParams,
  DeadlineRuleListSchema,
  DeadlineRuleSchema,
  UpdateDeadlineRuleSchema,
} from './deadline-rules.schemas.ts';

const deadlineRulesRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { deadlineRulesService } = fastify.services;

  fastify.get(
    '/',
    {
      schema: {
        tags: ['deadline-rules'],
        summary: "The tenant's deadline rule per complaint category",
        response: { 200: DeadlineRuleListSchema, ...errorResponses },
      },
      config: { roles: ['admin', 'supervisor'] },
    },
    async (req) => ({ items: await deadlineRulesService.list(principalOf(req)) }),
  );

  fastify.put(
    '/:category',
    {
      schema: {
        tags: ['deadline-rules'],
        summary: 'Change the rule of one category (applies to complaints registered from now on; audited)',
        params: CategoryParams,
        body: UpdateDeadlineRuleSchema,
        response: { 200: DeadlineRuleSchema, ...errorResponses },
      },
      config: { roles: ['admin'] },
    },
    async (req) => deadlineRulesService.update(principalOf(req), req.params.category, req.body),
  );
};

export default deadlineRulesRoutes;
