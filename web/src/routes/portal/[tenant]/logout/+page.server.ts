import { redirect } from '@sveltejs/kit';
import { deleteApiPortalSession } from '$lib/api/generated';
import { clearPortalCookie, portalClient } from '$lib/server/portal-api';
import type { Actions, PageServerLoad } from './$types';

export const load = (({ params }) => {
  redirect(303, `/portal/${params.tenant}`);
}) satisfies PageServerLoad;

export const actions = {
  default: async (event) => {
    await deleteApiPortalSession({ client: portalClient(event) });
    clearPortalCookie(event, event.params.tenant);
    redirect(303, `/portal/${event.params.tenant}/login`);
  },
} satisfies Actions;
