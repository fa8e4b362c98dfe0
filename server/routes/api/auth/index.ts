import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { SESSION_COOKIE, principalOf } from '../../../plugins/auth.ts';
import { type Principal } from '../../../auth/index.ts';
import { riskWindowOf } from '../../../deadlines/index.ts';
import { errorResponses } from '../common.schemas.ts';
import {
  LoginResultSchema,
  LoginSchema,
  MeSchema,
  ReauthBodySchema,
  SecondFactorBodySchema,
} from './auth.schemas.ts';

export function meOf(p: Principal) {
  return {
    userId: p.userId,
    email: p.email,
    name: p.name,
    tenantCode: p.tenantCode,
    roles: p.roles,
    jobRoles: p.jobRoles,
    secondFactor: p.secondFactor ?? { stage: 'full' as const, enrolled: false, required: false },
  };
}

/** Every stage of an unfinished sign-in. */
const anyStage = { secondFactorStages: ['totp' as const, 'enrol' as const] };

const authRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { authService } = fastify.services;
  const secureCookie = fastify.appConfig.production;

  function sessionAnswer(reply: FastifyReply, token: string | null, principal: Principal) {
    if (token)
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: secureCookie,
        path: '/',
        expires: principal.sessionExpiresAt,
      });
    return { expiresAt: principal.sessionExpiresAt.toISOString(), user: meOf(principal) };
  }

  fastify.post(
    '/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Staff login, step one: e-mail + password',
        description:
          "When `user.secondFactor.stage` is 'totp', send the code to POST /api/auth/totp with the token; when 'enrol', set up TOTP (/api/account/totp) before anything else. Failures are throttled per account and client address with a growing delay (429).",
        body: LoginSchema,
        response: { 200: LoginResultSchema, ...errorResponses },
      },
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const { token, principal } = await authService.login(req.body.email, req.body.password, req.ip);
      return { token, ...sessionAnswer(reply, token, principal) };
    },
  );

  fastify.post(
    '/totp',
    {
      schema: {
        tags: ['auth'],
        summary: 'Staff login, step two: the TOTP code (or a one-time recovery code)',
        body: SecondFactorBodySchema,
        response: {
          200: Type.Object({ expiresAt: Type.String({ format: 'date-time' }), user: MeSchema }),
          ...errorResponses,
        },
      },
      config: { secondFactorStages: ['totp'], rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const principal = await authService.verifySecondFactor(principalOf(req), req.body.code, req.ip);
      // The same token, now signed in for its full life: the cookie's expiry moves with it.
      const token = req.cookies[SESSION_COOKIE] ?? null;
      return sessionAnswer(reply, token, principal);
    },
  );

  fastify.post(
    '/reauth',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Confirm identity again (password, and the TOTP code when enrolled) before a sensitive operation',
        description:
          'Granting roles, changing the mailbox and resetting TOTP need a sign-in or re-authentication within the last 10 minutes (403 AUTH_REAUTH_REQUIRED otherwise).',
        body: ReauthBodySchema,
        response: {
          200: Type.Object({ authenticatedAt: Type.String({ format: 'date-time' }) }),
          ...errorResponses,
        },
      },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req) => {
      const p = await authService.reauthenticate(principalOf(req), req.body, req.ip);
      return { authenticatedAt: (p.authenticatedAt ?? new Date()).toISOString() };
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
      config: anyStage,
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
        summary: 'The signed-in user (and where an unfinished sign-in stands)',
        response: { 200: MeSchema, ...errorResponses },
      },
      config: anyStage,
    },
    async (req) => {
      const p = principalOf(req);
      // Today and the at-risk horizon of the person's tenant: the web pages' deadline badges use the server's.
      const { today, riskUntil } = await riskWindowOf(fastify.registerDeps.db, p.tenantId);
      return { ...meOf(p), calendar: { today, riskUntil } };
    },
  );
};

export default authRoutes;
