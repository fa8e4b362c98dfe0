import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Db } from '../../../db/client.ts';
import { type PortalAuthService, portalSuppliers } from '../../../portal/index.ts';
import { ErrorSchema, errorResponses } from '../common.schemas.ts';
import {
  CodeRequestedSchema,
  ConsumerSessionSchema,
  RequestCodeSchema,
  SupplierListSchema,
  TenantParams,
  VerifyCodeSchema,
} from './portal.schemas.ts';
import { consumerConfig, consumerOf, publicConfig, security, tags } from './route-config.ts';

const CODE_SENT =
  'Dacă adresa este corectă, veți primi în câteva momente un e-mail cu un cod de 6 cifre, valabil 10 minute.';

/** Signing in and out of the portal: choose a supplier, ask for a one-time code, enter it, log out. */
const sessionRoutes: FastifyPluginAsyncTypebox<{ db: Db; authService: PortalAuthService }> = async (
  fastify,
  opts,
) => {
  const { authService } = opts;

  fastify.get(
    '/suppliers',
    {
      schema: {
        tags,
        summary: 'Suppliers with a consumer portal',
        response: { 200: SupplierListSchema, 429: ErrorSchema, 503: ErrorSchema },
      },
      config: publicConfig,
    },
    async () => portalSuppliers(opts.db),
  );

  fastify.post(
    '/suppliers/:tenantCode/login-codes',
    {
      schema: {
        tags,
        summary:
          'Send a one-time login code to an e-mail address (same answer for every address; rate-limited)',
        params: TenantParams,
        body: RequestCodeSchema,
        response: { 202: CodeRequestedSchema, ...errorResponses },
      },
      config: publicConfig,
    },
    async (req, reply) => {
      const r = await authService.requestCode(req.params.tenantCode, req.body.email, req.ip);
      return reply.status(202).send({ message: CODE_SENT, expiresInSeconds: r.expiresInSeconds });
    },
  );

  fastify.post(
    '/suppliers/:tenantCode/sessions',
    {
      schema: {
        tags,
        summary: 'Enter the one-time code: opens a consumer session (the account is created on first login)',
        params: TenantParams,
        body: VerifyCodeSchema,
        response: { 201: ConsumerSessionSchema, ...errorResponses },
      },
      config: { ...publicConfig, rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await authService.verifyCode(req.params.tenantCode, req.body.email, req.body.code)),
  );

  fastify.delete(
    '/session',
    {
      schema: {
        tags,
        security,
        summary: 'Log out of the portal',
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: consumerConfig,
    },
    async (req, reply) => {
      await authService.logout(consumerOf(req));
      return reply.status(204).send(null);
    },
  );
};

export default sessionRoutes;
