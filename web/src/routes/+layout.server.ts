import { businessDate } from '$codes/business-date';
import type { LayoutServerLoad } from './$types';

export const load = (({ locals }) => ({
  user: locals.user,
  // One today for server and browser; for staff, the server's with their tenant's at-risk horizon (deadline badges).
  today: locals.user?.calendar?.today ?? businessDate(),
  riskUntil: locals.user?.calendar?.riskUntil,
})) satisfies LayoutServerLoad;
