import { Type } from 'typebox';
import { permissionRoles } from '../../../codes/permission-roles.ts';
import { IsoDateTime, Uuid, Nullable } from '../common.schemas.ts';

/** The permission roles (server/db/schema/users.ts permissionRoles), spelled out so the type keeps them. */
export const PermissionRoleSchema = Type.Union([
  Type.Literal('agent'),
  Type.Literal('officer'),
  Type.Literal('supervisor'),
  Type.Literal('designer'),
  Type.Literal('admin'),
]);

const Roles = Type.Array(PermissionRoleSchema, { minItems: 1, maxItems: permissionRoles.length });
const Name = Type.String({ minLength: 2, maxLength: 120, pattern: '\\S' });

export const StaffUserSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  roles: Type.Array(PermissionRoleSchema),
  active: Type.Boolean(),
  lastLoginAt: Nullable(IsoDateTime, {
    description: 'Null: never logged in (as far as recorded).',
  }),
  createdAt: IsoDateTime,
  pendingLinkExpiresAt: Nullable(IsoDateTime, {
    description: 'A password-setting link waits to be used until then; null when none does.',
  }),
  loginLocked: Type.Boolean({
    description:
      'Some client address must wait before trying this account again (failed logins in the last 15 minutes); others are not slowed.',
  }),
  totpEnabled: Type.Boolean({ description: 'The person signs in with a TOTP code too.' }),
  pendingRoles: Type.Array(PermissionRoleSchema, {
    description:
      'Designer or admin roles asked for this person, waiting for a second admin to approve them (GET /api/role-grants).',
  }),
});

export const StaffListSchema = Type.Object({ items: Type.Array(StaffUserSchema) });

export const CreateStaffUserSchema = Type.Object(
  { name: Name, email: Type.String({ format: 'email', maxLength: 254 }), roles: Roles },
  { additionalProperties: false },
);

export const UpdateStaffUserSchema = Type.Object(
  { name: Type.Optional(Name), roles: Type.Optional(Roles) },
  { additionalProperties: false, minProperties: 1 },
);

export const LinkSentSchema = Type.Object({
  user: StaffUserSchema,
  linkSent: Type.Boolean({ description: 'False when the e-mail could not be sent: send a new link later.' }),
});

export const UserIdParams = Type.Object({ id: Uuid });
