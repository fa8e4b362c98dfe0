import { getApiSupervisionStats } from '$lib/api/generated';
import { apiClient, loginRedirect, settle } from '$lib/server/api';
import { todayInBucharest } from '$lib/format';
import { errorMessage } from '$lib/api/error-message';
import type { PageServerLoad } from './$types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function minusDays(d: string, n: number): string {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() - n);
  return x.toISOString().slice(0, 10);
}

/** Complaints per category and per channel over a chosen period (default: the last 30 days). */
export const load = (async (event) => {
  await event.parent();
  const today = todayInBucharest();
  const fromParam = event.url.searchParams.get('from') ?? '';
  const toParam = event.url.searchParams.get('to') ?? '';
  const from = DATE.test(fromParam) ? fromParam : minusDays(today, 29);
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
