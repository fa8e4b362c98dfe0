import { getApiQuarantine } from '$lib/api/generated';
import { apiClient, apiLoad } from '$lib/server/api';
import type { PageServerLoad } from './$types';

const STATUSES = ['open', 'resolved', 'all'] as const;
type Status = (typeof STATUSES)[number];

/** Messages the e-mail intake could not process, for the intake officer (open first, by default). */
export const load = (async (event) => {
  await event.parent();
  const s = event.url.searchParams.get('status');
  const status: Status = (STATUSES as readonly string[]).includes(s ?? '') ? (s as Status) : 'open';
  const page = Math.max(1, Math.min(10000, Number(event.url.searchParams.get('page')) || 1));
  const list = await apiLoad(
    event,
    getApiQuarantine({ client: apiClient(event), query: { status, page, pageSize: 25 } }),
  );
  return { status, page, list, meta: { title: 'Carantină e-mail' } };
}) satisfies PageServerLoad;
