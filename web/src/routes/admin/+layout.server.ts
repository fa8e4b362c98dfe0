import { requireRole } from '$lib/server/guard';
import { requireDpo } from '$lib/server/guard-dpo';
import { AREA_ROLES } from '$lib/roles';
import type { LayoutServerLoad } from './$types';

export const load = ((event) =>
  // The data-protection officer's page is for the DPO job role, tenant admin or not (the API checks it again).
  event.url.pathname.startsWith('/admin/privacy')
    ? { user: requireDpo(event) }
    : // The regulator report is read by supervisors too (only an admin publishes; the API checks it again).
      event.url.pathname.startsWith('/admin/reports')
      ? { user: requireRole(event, AREA_ROLES.reports) }
      : { user: requireRole(event, AREA_ROLES.admin) }) satisfies LayoutServerLoad;
