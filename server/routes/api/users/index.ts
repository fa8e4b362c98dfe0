import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { errorResponses } from '../common.schemas.ts';
import {
  CreateStaffUserSchema,
  LinkSentSchema,
  StaffListSchema,
  StaffUserSchema,
  UpdateStaffUserSchema,
  UserIdParams,
} from './users.schemas.ts';

/**
 * The supplier's staff accounts, for its administrators only. The tenant is the session's: another tenant's
 * person answers 404. Every change is audited.
 */
const usersRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { usersService, totpService } = fastify.services;
  const admin = { roles: ['admin' as const] };

  fastify.get(
    '/',
    {
      schema: {
        tags: ['users'],
        summary: "The tenant's staff: permission roles, active, last login, pending link, locked out",
        response: { 200: StaffListSchema, ...errorResponses },
      },
      config: admin,
    },
    async (req) => usersService.list(principalOf(req)),
  );

  fastify.post(
    '/',
    {
      schema: {
        tags: ['users'],
        summary: 'Create a staff account; its person is e-mailed a link to choose a password (24 h)',
        description: 'E-mail addresses are unique across the installation: a taken one answers 409.',
        body: CreateStaffUserSchema,
        response: { 201: LinkSentSchema, ...errorResponses },
      },
      config: admin,
    },
    async (req, reply) => reply.status(201).send(await usersService.create(principalOf(req), req.body)),
  );

  fastify.patch(
    '/:id',
    {
      schema: {
        tags: ['users'],
        summary: 'Change the name or the permission roles (effective on the next request)',
        description: 'The tenant keeps at least one active admin; an admin cannot drop their own admin role.',
        params: UserIdParams,
        body: UpdateStaffUserSchema,
        response: { 200: StaffUserSchema, ...errorResponses },
      },
      config: admin,
    },
    async (req) => usersService.update(principalOf(req), req.params.id, req.body),
  );

  fastify.post(
    '/:id/deactivation',
    {
      schema: {
        tags: ['users'],
        summary: 'Deactivate: no more logins; the sessions and any unused link end at once',
        description: "Not one's own account, nor the last active admin (409).",
        params: UserIdParams,
        response: { 200: StaffUserSchema, ...errorResponses },
      },
      config: admin,
    },
    async (req) => usersService.deactivate(principalOf(req), req.params.id),
  );

  fastify.post(
    '/:id/reactivation',
    {
      schema: {
        tags: ['users'],
        summary: 'Reactivate a deactivated account',
        params: UserIdParams,
        response: { 200: StaffUserSchema, ...errorResponses },
      },
      config: admin,
    },
    async (req) => usersService.reactivate(principalOf(req), req.params.id),
  );

  fastify.post(
    '/:id/password-reset',
    {
      schema: {
        tags: ['users'],
        summary: 'Reset the password: the old one stops working, sessions end, a new link (24 h) is e-mailed',
        params: UserIdParams,
        response: { 200: LinkSentSchema, ...errorResponses },
      },
      config: admin,
    },
    async (req) => usersService.resetPassword(principalOf(req), req.params.id),
  );

  fastify.delete(
    '/:id/login-failures',
    {
      schema: {
        tags: ['users'],
        summary: "Unlock: forget the failed logins of the person's address",
        params: UserIdParams,
        response: {
          200: Type.Object({ user: StaffUserSchema, failuresCleared: Type.Integer() }),
          ...errorResponses,
        },
      },
      config: admin,
    },
    async (req) => usersService.unlock(principalOf(req), req.params.id),
  );

  fastify.post(
    '/:id/totp-reset',
    {
      schema: {
        tags: ['users'],
        summary: "Clear a colleague's TOTP (lost phone and recovery codes): their sessions end; audited",
        description:
          'Needs a recent re-authentication of the admin (403 AUTH_REAUTH_REQUIRED). Where TOTP is required, the colleague enrols again at the next sign-in.',
        params: UserIdParams,
        response: {
          200: Type.Object({ wasEnabled: Type.Boolean(), sessionsEnded: Type.Integer() }),
          ...errorResponses,
        },
      },
      config: admin,
    },
    async (req) => totpService.adminReset(principalOf(req), req.params.id),
  );

  const Policy = Type.Object(
    {
      totpForAllStaff: Type.Boolean({
        description: 'Every staff member must use TOTP (admins, supervisors and designers must anyway)',
      }),
      sessionMaxHours: Type.Integer({
        minimum: 1,
        maximum: 24,
        description: 'A session ends this long after sign-in, whatever the activity',
      }),
    },
    { additionalProperties: false },
  );

  fastify.get(
    '/security-policy',
    {
      schema: {
        tags: ['users'],
        summary: "The tenant's staff security policy: TOTP for everyone, absolute session lifetime",
        response: { 200: Policy, ...errorResponses },
      },
      config: admin,
    },
    async (req) => totpService.policy(principalOf(req)),
  );

  fastify.put(
    '/security-policy',
    {
      schema: {
        tags: ['users'],
        summary: "Change the tenant's staff security policy (needs a recent re-authentication; audited)",
        body: Policy,
        response: { 200: Policy, ...errorResponses },
      },
      config: admin,
    },
    async (req) => totpService.setPolicy(principalOf(req), req.body),
  );
};

export default usersRoutes;
