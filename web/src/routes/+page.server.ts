import { redirect } from '@sveltejs/kit';
import { homeFor } from '$lib/roles';
import type { PageServerLoad } from './$types';

/** Staff go straight to their area; everyone else sees the public landing page. */
export const load = (({ locals }) => {
  const home = homeFor(locals.user);
  if (locals.user && home !== '/') redirect(303, home);
  return { meta: { title: 'Bun venit' } };
}) satisfies PageServerLoad;
