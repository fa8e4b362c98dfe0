import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { createQuarantineService } from '../../../intake/index.ts';
import { errorResponses } from '../common.schemas.ts';
import { viaOf } from '../../../audit/index.ts';
import type { PermissionRole } from '../../../db/schema/index.ts';
import {
  ListQuarantineQuery,
  MarkHandledSchema,
  QuarantineDetailSchema,
  QuarantineIdParams,
  QuarantineListSchema,
  QuarantineSummarySchema,
  RegisterFromQuarantineSchema,
  RegisteredFromQuarantineSchema,
} from './quarantine.schemas.ts';

const ROLES: PermissionRole[] = ['officer', 'supervisor'];

/** E-mail the intake could not process: listed for intake officers, never deleted, every step audited. */
const quarantineRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const service = createQuarantineService(fastify.registerDeps);

  fastify.get(
    '/',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'Messages in quarantine, newest first (open by default)',
        querystring: ListQuarantineQuery,
        response: { 200: QuarantineListSchema, ...errorResponses },
      },
      config: { roles: ROLES },
    },
    async (req) => service.list(principalOf(req), req.query),
  );

  fastify.get(
    '/:id',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'One message: reason, sender, size and a text-only view (the view is audited)',
        params: QuarantineIdParams,
        response: { 200: QuarantineDetailSchema, ...errorResponses },
      },
      config: { roles: ROLES },
    },
    async (req) => service.get(principalOf(req), req.params.id, viaOf(req)),
  );

  fastify.get(
    '/:id/raw',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'The message exactly as received (.eml); the download is audited',
        params: QuarantineIdParams,
        response: { 200: Type.Any({ description: 'message/rfc822' }), ...errorResponses },
      },
      config: { roles: ROLES },
    },
    async (req, reply) => {
      const r = await service.raw(principalOf(req), req.params.id, viaOf(req));
      return reply
        .header('content-type', 'message/rfc822')
        .header('content-disposition', `attachment; filename="${r.fileName}"`)
        .header('x-content-sha256', r.sha256)
        .header('x-content-type-options', 'nosniff')
        .send(r.bytes);
    },
  );

  fastify.post(
    '/:id/registration',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'Register the message as an e-mail complaint, with what the officer completed',
        params: QuarantineIdParams,
        body: RegisterFromQuarantineSchema,
        response: { 201: RegisteredFromQuarantineSchema, ...errorResponses },
      },
      config: { roles: ROLES },
    },
    async (req, reply) => {
      const r = await service.register(principalOf(req), req.params.id, req.body);
      return reply.status(201).send(r);
    },
  );

  fastify.post(
    '/:id/handling',
    {
      schema: {
        tags: ['quarantine'],
        summary: 'Mark the message handled without a case, with the reason (it is kept)',
        params: QuarantineIdParams,
        body: MarkHandledSchema,
        response: { 200: QuarantineSummarySchema, ...errorResponses },
      },
      config: { roles: ROLES },
    },
    async (req) => service.markHandled(principalOf(req), req.params.id, req.body.reason.trim()),
  );
};

export default quarantineRoutes;
