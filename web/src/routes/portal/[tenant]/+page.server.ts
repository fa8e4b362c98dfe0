import { getApiPortalCases, getApiPortalPlaces } from '$lib/api/generated';
import { portalClient, portalLoad } from '$lib/server/portal-api';
import type { PageServerLoad } from './$types';

/** The consumer's home: their places of consumption and their cases. */
export const load = (async (event) => {
  await event.parent();
  const client = portalClient(event);
  const [places, cases] = await Promise.all([
    portalLoad(event, getApiPortalPlaces({ client })),
    portalLoad(event, getApiPortalCases({ client })),
  ]);
  return {
    places,
    cases,
    linked: event.url.searchParams.has('asociat'),
    meta: { title: 'Contul meu' },
  };
}) satisfies PageServerLoad;
