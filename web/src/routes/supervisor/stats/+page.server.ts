import { getApiSupervisionStats } from '$lib/api/generated';
import { apiClient, loginRedirect, settle } from '$lib/server/api';
import { addDays, businessDate } from '$codes/business-date';
import { errorMessage } from '$lib/api/error-message';
import type { PageServerLoad } from './$types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Complaints per category and per channel over a chosen period (default: the last 30 days). */
export const load = (async (event) => {
  await event.parent();
  const today = businessDate();
  const fromParam = event.url.searchParams.get('from') ?? '';
  const toParam = event.url.searchParams.get('to') ?? '';
  const from = DATE.test(fromParam) ? fromParam : addDays(today, -29);
  const to = DATE.test(toParam) ? toParam : today;
  const r = await settle(getApiSupervisionStats({ client: apiClient(event), query: { from, to } }));
  if (!r.ok && r.status === 401) loginRedirect(event.url);
  return {
    from,
    to,
    stats: r.ok ? r.data : null,
    error: r.ok ? null : errorMessage(r, 'Statisticile nu au putut fi calculate.'),
    meta: { title: 'Supervizare: statistici' },
  };
}) satisfies PageServerLoad;
