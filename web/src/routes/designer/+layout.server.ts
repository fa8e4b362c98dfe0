import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import type { LayoutServerLoad } from './$types';

export const load = ((event) => ({
  user: requireRole(event, AREA_ROLES.designer),
})) satisfies LayoutServerLoad;
