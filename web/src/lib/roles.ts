import type { Me, PermissionRole } from './api/types';

export const STAFF_ROLES = ['agent', 'officer', 'supervisor'] as const satisfies PermissionRole[];

export function hasRole(user: Pick<Me, 'roles'> | null | undefined, ...roles: PermissionRole[]): boolean {
  return !!user && roles.some((r) => user.roles.includes(r));
}

/** Where a user lands after login: agents at the call center, officers and supervisors in their inbox. */
export function homeFor(user: Pick<Me, 'roles'> | null | undefined): string {
  if (hasRole(user, 'agent')) return '/call-center';
  if (hasRole(user, 'officer', 'supervisor')) return '/inbox';
  if (hasRole(user, 'designer')) return '/designer';
  if (hasRole(user, 'admin')) return '/admin';
  return '/';
}

/** Area access, the same table the pages' guards and the navigation use (the API re-checks everything). */
export const AREA_ROLES = {
  callCenter: ['agent', 'officer', 'supervisor'],
  inbox: ['officer', 'supervisor'],
  cases: ['agent', 'officer', 'supervisor'],
  designer: ['designer'],
  supervisor: ['supervisor'],
  admin: ['admin'],
  /** The regulator report (/admin/reports): read by admins and supervisors. */
  reports: ['admin', 'supervisor'],
} as const satisfies Record<string, PermissionRole[]>;
