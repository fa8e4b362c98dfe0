import { Type } from 'typebox';

export const LoginSchema = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const SecondFactorSchema = Type.Object({
  stage: Type.Union([Type.Literal('totp'), Type.Literal('enrol'), Type.Literal('full')], {
    description:
      "'totp': the code is due (POST /api/auth/totp); 'enrol': TOTP must be set up first (/api/account/totp); 'full': signed in. Until 'full' every other route answers 403.",
  }),
  enrolled: Type.Boolean({ description: 'The person uses TOTP' }),
  required: Type.Boolean({ description: 'The person must use TOTP (role or tenant policy)' }),
});

export const MeSchema = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  tenantCode: Type.String(),
  roles: Type.Array(Type.String()),
  jobRoles: Type.Array(Type.String()),
  secondFactor: SecondFactorSchema,
  calendar: Type.Optional(
    Type.Object(
      {
        today: Type.String({ format: 'date', description: 'Today, Europe/Bucharest' }),
        riskUntil: Type.String({
          format: 'date',
          description:
            "The last due date at risk today: the tenant's warning lead time in working days (a later one is on time, an earlier one than today late)",
        }),
      },
      { description: 'The business calendar for the deadline badges (GET /api/auth/me only)' },
    ),
  ),
});

export const LoginResultSchema = Type.Object({
  token: Type.String({
    description: 'Session token: send as `Authorization: Bearer <token>` (also set as an HttpOnly cookie).',
  }),
  expiresAt: Type.String({ format: 'date-time' }),
  user: MeSchema,
});

/** A TOTP code (6 digits) or a recovery code (xxxxx-xxxxx); spaces and dashes do not matter. */
export const CodeSchema = Type.String({ minLength: 1, maxLength: 32 });

export const SecondFactorBodySchema = Type.Object({ code: CodeSchema }, { additionalProperties: false });

export const ReauthBodySchema = Type.Object(
  {
    password: Type.String({ minLength: 1, maxLength: 256 }),
    code: Type.Optional(CodeSchema),
  },
  { additionalProperties: false },
);
