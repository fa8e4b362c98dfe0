import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { ErrorSchema, errorResponses, IsoDateTime } from '../common.schemas.ts';

/** The token travels in the body, never in an API URL (URLs end up in logs). */
const Token = Type.String({ minLength: 1, maxLength: 100, description: 'The token from the e-mailed link.' });
const linkErrors = { ...errorResponses, 410: ErrorSchema };
/** Public and cheap to call: limited per client address like the login. */
const limited = { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } };

/**
 * A staff member's own password: through the link an administrator had e-mailed (invitation or reset; public, the
 * link is the proof), or changed while signed in (the current password is the proof).
 */
const accountRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { accountPasswordService } = fastify.services;

  fastify.post(
    '/password-link',
    {
      schema: {
        tags: ['account'],
        summary: 'Whose account a password-setting link is for, while it can be used',
        body: Type.Object({ token: Token }, { additionalProperties: false }),
        response: {
          200: Type.Object({ name: Type.String(), email: Type.String(), expiresAt: IsoDateTime }),
          ...linkErrors,
        },
      },
      config: limited,
    },
    async (req) => accountPasswordService.check(req.body.token),
  );

  fastify.post(
    '/password',
    {
      schema: {
        tags: ['account'],
        summary: 'Choose the password with the link (at least 12 characters; spends the link)',
        body: Type.Object(
          {
            token: Token,
            password: Type.String({ maxLength: 1024 }),
            passwordConfirmation: Type.String({ maxLength: 1024 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ email: Type.String() }), ...linkErrors },
      },
      config: limited,
    },
    async (req) =>
      accountPasswordService.setPassword(req.body.token, req.body.password, req.body.passwordConfirmation),
  );

  fastify.post(
    '/own-password',
    {
      schema: {
        tags: ['account'],
        summary:
          "Change one's own password while signed in (the current one first; every other session of the person ends)",
        body: Type.Object(
          {
            currentPassword: Type.String({ maxLength: 1024 }),
            password: Type.String({ maxLength: 1024 }),
            passwordConfirmation: Type.String({ maxLength: 1024 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ otherSessionsEnded: Type.Integer() }), ...errorResponses },
      },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req) =>
      accountPasswordService.changeOwnPassword(
        principalOf(req),
        req.body.currentPassword,
        req.body.password,
        req.body.passwordConfirmation,
      ),
  );
};

export default accountRoutes;
