import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../common.schemas.ts';
import { PermissionRoleSchema } from '../users/users.schemas.ts';

export const RoleGrantSchema = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  userName: Type.String(),
  roles: Type.Array(PermissionRoleSchema, { description: 'designer and/or admin' }),
  requestedBy: Type.String(),
  requestedByName: Type.String(),
  requestedAt: IsoDateTime,
  canApprove: Type.Boolean({
    description: 'False for the admin who asked and for the person who would receive the roles.',
  }),
});

export const RoleGrantListSchema = Type.Object({ items: Type.Array(RoleGrantSchema) });

export const GrantIdParams = Type.Object({ grantId: Uuid });

export const ApprovedGrantSchema = Type.Object({
  userId: Type.String(),
  roles: Type.Array(PermissionRoleSchema),
});
