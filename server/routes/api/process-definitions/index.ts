import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { errorResponses } from '../common.schemas.ts';
import {
  DefinitionDetailSchema,
  DefinitionId,
  DeployBodySchema,
  DeploymentResultSchema,
  DiffSchema,
  DmnDiffSchema,
  LintBodySchema,
  LintIssueSchema,
  ResetBodySchema,
  ResourceSchema,
  StatisticsSchema,
} from './process-definitions.schemas.ts';

/** The process designer's API: the tenant's processes and decision tables, lint, deploy, reset, diff, statistics. */
const processDefinitionsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { designerService } = fastify.services;
  const config = { roles: ['designer' as const] };
  const tags = ['process-definitions'];

  fastify.get(
    '/',
    {
      schema: {
        tags,
        summary: "The tenant's BPMN and DMN files with every version, its origin and its running instances",
        response: { 200: Type.Object({ resources: Type.Array(ResourceSchema) }), ...errorResponses },
      },
      config,
    },
    async (req) => ({ resources: await designerService.list(principalOf(req)) }),
  );

  fastify.get(
    '/diff',
    {
      schema: {
        tags,
        summary: 'What changed between two BPMN versions (added, removed, changed elements)',
        querystring: Type.Object({ from: DefinitionId, to: DefinitionId }),
        response: { 200: DiffSchema, ...errorResponses },
      },
      config,
    },
    async (req) => designerService.diff(principalOf(req), req.query.from, req.query.to),
  );

  fastify.get(
    '/decision-diff',
    {
      schema: {
        tags,
        summary:
          'What changed between two versions of a DMN file, per decision (columns, rules and their cells, hit policy)',
        querystring: Type.Object({ from: DefinitionId, to: DefinitionId }),
        response: { 200: DmnDiffSchema, ...errorResponses },
      },
      config,
    },
    async (req) => designerService.decisionDiff(principalOf(req), req.query.from, req.query.to),
  );

  fastify.get(
    '/:definitionId',
    {
      schema: {
        tags,
        summary: 'One version with its XML and the other versions of the same process or table',
        params: Type.Object({ definitionId: DefinitionId }),
        response: { 200: DefinitionDetailSchema, ...errorResponses },
      },
      config,
    },
    async (req) => designerService.get(principalOf(req), req.params.definitionId),
  );

  fastify.get(
    '/:definitionId/statistics',
    {
      schema: {
        tags,
        summary: 'Per activity: how many running instances of this version wait there now',
        params: Type.Object({ definitionId: DefinitionId }),
        response: { 200: StatisticsSchema, ...errorResponses },
      },
      config,
    },
    async (req) => designerService.statistics(principalOf(req), req.params.definitionId),
  );

  fastify.post(
    '/lint',
    {
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Lint a BPMN document (bpmnlint recommended rules plus ours); errors would refuse a deploy',
        body: LintBodySchema,
        response: { 200: Type.Object({ issues: Type.Array(LintIssueSchema) }), ...errorResponses },
      },
      config,
    },
    async (req) => ({ issues: await designerService.lint(principalOf(req), req.body.kind, req.body.xml) }),
  );

  fastify.post(
    '/deployments',
    {
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags,
        summary:
          'Deploy a new version of one file for this tenant only (refused when lint finds errors; audited)',
        body: DeployBodySchema,
        response: { 201: DeploymentResultSchema, ...errorResponses },
      },
      config,
    },
    async (req, reply) => reply.status(201).send(await designerService.deploy(principalOf(req), req.body)),
  );

  fastify.post(
    '/baseline-resets',
    {
      schema: {
        tags,
        summary:
          'Go back to the baseline version of one file (a new version; running instances keep theirs; audited)',
        body: ResetBodySchema,
        response: { 201: DeploymentResultSchema, ...errorResponses },
      },
      config,
    },
    async (req, reply) =>
      reply.status(201).send(await designerService.resetToBaseline(principalOf(req), req.body.resourceName)),
  );
};

export default processDefinitionsRoutes;
