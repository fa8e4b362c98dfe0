import { getApiComplaints } from '$lib/api/generated';
import { apiClient, apiLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** Case search: `?q=` (number, customer, subject, text) and `?page=`; newest first. */
export const load = (async (event) => {
  await event.parent();
  const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 200);
  const page = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1);
  const query = { page, pageSize: 25, ...(q ? { q } : {}) };
  const list = await apiLoad(event, getApiComplaints({ client: apiClient(event), query }));
  return { q, list, meta: { title: q ? `Reclamații: „${q}”` : 'Reclamații' } };
}) satisfies PageServerLoad;
