import { todayInBucharest } from '$lib/format';
import type { LayoutServerLoad } from './$types';

export const load = (({ locals }) => ({
  user: locals.user,
  // One today for server and browser; for staff, the server's with their tenant's at-risk horizon (deadline badges).
  today: locals.user?.calendar?.today ?? todayInBucharest(),
  riskUntil: locals.user?.calendar?.riskUntil,
})) satisfies LayoutServerLoad;
