import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import type { LayoutServerLoad } from './$types';

/** The postal dispatch register: the officers and supervisors who print, post and follow the letters. */
export const load = ((event) => ({
  user: requireRole(event, AREA_ROLES.inbox),
})) satisfies LayoutServerLoad;
