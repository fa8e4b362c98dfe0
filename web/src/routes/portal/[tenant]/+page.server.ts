import { error } from '@sveltejs/kit';
import type { GetApiPortalCasesResponse, GetApiPortalPlacesResponse } from '$lib/api/generated';
import { portalApi, portalLogin } from '$lib/server/portal-api';
import type { PageServerLoad } from './$types';

/** The consumer's home: their places of consumption and their cases. */
export const load = (async (event) => {
  await event.parent();
  const [places, cases] = await Promise.all([
    portalApi<GetApiPortalPlacesResponse>(event, 'GET', '/api/portal/places'),
    portalApi<GetApiPortalCasesResponse>(event, 'GET', '/api/portal/cases'),
  ]);
  if (places.status === 401 || cases.status === 401) portalLogin(event.params.tenant);
  if (!places.ok) error(places.status, places.data.message);
  if (!cases.ok) error(cases.status, cases.data.message);
  return {
    places: places.data,
    cases: cases.data,
    linked: event.url.searchParams.has('asociat'),
    meta: { title: 'Contul meu' },
  };
}) satisfies PageServerLoad;
