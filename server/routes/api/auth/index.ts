import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SESSION_COOKIE, principalOf } from '../../../plugins/auth.ts';
import type { Principal } from '../../../auth/auth.service.ts';
import { errorResponses } from '../common.schemas.ts';
import { LoginResultSchema, LoginSchema, MeSchema } from './auth.schemas.ts';

export function meOf(p: Principal) {
  return {
    userId: p.userId,
    email: p.email,
    name: p.name,
    tenantCode: p.tenantCode,
    roles: p.roles,
    jobRoles: p.jobRoles,
  };
}

const authRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { authService } = fastify.services;
  const secureCookie = fastify.appConfig.production;

  fastify.post(
    '/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Staff login (e-mail + password)',
        body: LoginSchema,
        response: { 200: LoginResultSchema, ...errorResponses },
      },
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const { token, principal } = await authService.login(req.body.email, req.body.password);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookie,
        path: '/',
        expires: principal.sessionExpiresAt,
      });
      return { token, expiresAt: principal.sessionExpiresAt.toISOString(), user: meOf(principal) };
    },
  );

  fastify.post(
    '/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the current session',
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req, reply) => {
      await authService.logout(principalOf(req));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true };
    },
  );

  fastify.get(
    '/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        response: { 200: MeSchema, ...errorResponses },
      },
    },
    async (req) => meOf(principalOf(req)),
  );
};

export default authRoutes;
