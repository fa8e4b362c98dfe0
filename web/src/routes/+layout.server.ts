import { todayInBucharest } from '$lib/format';
import type { LayoutServerLoad } from './$types';

export const load = (({ locals }) => ({
  user: locals.user,
  today: todayInBucharest(),
})) satisfies LayoutServerLoad;
