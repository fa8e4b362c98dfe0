import { Type } from 'typebox';

export const LoginSchema = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

export const MeSchema = Type.Object({
  userId: Type.String(),
  email: Type.String(),
  name: Type.String(),
  tenantCode: Type.String(),
  roles: Type.Array(Type.String()),
  jobRoles: Type.Array(Type.String()),
});

export const LoginResultSchema = Type.Object({
  token: Type.String({
    description: 'Session token: send as `Authorization: Bearer <token>` (also set as an HttpOnly cookie).',
  }),
  expiresAt: Type.String({ format: 'date-time' }),
  user: MeSchema,
});
