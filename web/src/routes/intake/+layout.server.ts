import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import type { LayoutServerLoad } from './$types';

/** The intake officer's pages (e-mail quarantine): the same people as the inbox. */
export const load = ((event) => ({
  user: requireRole(event, AREA_ROLES.inbox),
})) satisfies LayoutServerLoad;
