import { error } from '@sveltejs/kit';
import type { Me, PermissionRole } from '$lib/api/types';
import { hasRole } from '$lib/roles';
import { loginRedirect } from './api';

/**
 * Page-level access: no session → the login page (coming back here afterwards); the wrong role → 403. Used by
 * each area's +layout.server.ts and by its form actions (layout loads do not run before actions). The API checks
 * again on every call.
 */
export function requireUser(event: { locals: App.Locals; url: URL }): Me {
  const user = event.locals.user;
  if (!user) loginRedirect(event.url);
  return user;
}

export function requireRole(event: { locals: App.Locals; url: URL }, roles: readonly PermissionRole[]): Me {
  const user = requireUser(event);
  if (!hasRole(user, ...roles)) error(403, 'Nu aveți acces la această pagină.');
  return user;
}
