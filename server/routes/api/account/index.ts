import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../../../plugins/auth.ts';
import { ErrorSchema, errorResponses, IsoDateTime, Nullable } from '../common.schemas.ts';

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
  const { accountPasswordService, totpService } = fastify.services;

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

  // --- TOTP (two-step sign-in) ------------------------------------------------------------------------------------
  /** Enrolment is what a session must finish before anything else where TOTP is required. */
  const enrolling = { secondFactorStages: ['enrol' as const] };
  const RecoveryCodes = Type.Object({
    recoveryCodes: Type.Array(Type.String(), {
      description: 'Ten one-time codes, shown this once (only their HMAC is kept)',
    }),
  });

  fastify.get(
    '/totp',
    {
      schema: {
        tags: ['account'],
        summary: 'Whether the signed-in person uses TOTP, must use it, and how many recovery codes are left',
        response: {
          200: Type.Object({
            enabled: Type.Boolean(),
            enabledAt: Nullable(IsoDateTime),
            required: Type.Boolean(),
            recoveryCodesLeft: Type.Integer(),
          }),
          ...errorResponses,
        },
      },
      config: enrolling,
    },
    async (req) => totpService.status(principalOf(req)),
  );

  fastify.post(
    '/totp/setup',
    {
      schema: {
        tags: ['account'],
        summary: 'Start TOTP enrolment: a new secret, its otpauth:// URI and QR code (SVG)',
        description:
          'Replacing an authenticator already in use needs a recent re-authentication (POST /api/auth/reauth).',
        response: {
          200: Type.Object({
            secret: Type.String({ description: 'Base32, for typing into the app by hand' }),
            uri: Type.String(),
            qrSvg: Type.String({ description: 'The URI as a QR code, an SVG document drawn on the server' }),
          }),
          ...errorResponses,
        },
      },
      config: { ...enrolling, rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req) => totpService.start(principalOf(req)),
  );

  fastify.post(
    '/totp/confirm',
    {
      schema: {
        tags: ['account'],
        summary: "Finish enrolment with the app's first code: TOTP is on, recovery codes are issued",
        description: 'Every other session of the person ends.',
        body: Type.Object(
          { code: Type.String({ minLength: 1, maxLength: 32 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ ...RecoveryCodes.properties, otherSessionsEnded: Type.Integer() }),
          ...errorResponses,
        },
      },
      config: { ...enrolling, rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req) => totpService.confirm(principalOf(req), req.body.code),
  );

  fastify.post(
    '/totp/recovery-codes',
    {
      schema: {
        tags: ['account'],
        summary: 'Ten new recovery codes (the old ones stop working); needs a recent re-authentication',
        response: { 200: RecoveryCodes, ...errorResponses },
      },
    },
    async (req) => totpService.regenerateRecoveryCodes(principalOf(req)),
  );

  fastify.delete(
    '/totp',
    {
      schema: {
        tags: ['account'],
        summary: 'Switch TOTP off (needs a recent re-authentication)',
        description: 'Where TOTP is required, the next request leads to enrolment again.',
        response: { 200: Type.Object({ required: Type.Boolean() }), ...errorResponses },
      },
    },
    async (req) => totpService.disable(principalOf(req)),
  );
};

export default accountRoutes;
