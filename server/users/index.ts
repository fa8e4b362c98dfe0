/** The users module's public face (.dependency-cruiser.cjs): staff accounts, their passwords and role grants. */
export { createUsersService, type UsersDeps, type UsersService } from './users.service.ts';
export { createRoleGrantsService, type RoleGrantsService } from './role-grants.service.ts';
export { createAccountPasswordService, type AccountPasswordService } from './account-password.service.ts';
export { ensureStaffAccount } from './seed-staff.ts';
