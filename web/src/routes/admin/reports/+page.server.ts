import { fail } from '@sveltejs/kit';
import {
  getApiReportsIndicators,
  getApiReportsPublications,
  getApiReportsSettings,
  postApiReportsPublications,
  putApiReportsSettings,
} from '$lib/api/generated';
import { apiClient, loginRedirect, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { businessDate } from '$codes/business-date';
import { errorMessage } from '$lib/api/error-message';
import { quartersUpTo, quarterOf } from './quarters';
import type { Actions, PageServerLoad } from './$types';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The regulator report: the figures of a period (by default the last quarter that has ended), computed by the API
 * from the case data, with quarter shortcuts, downloads, the quarters published and, for an admin, publishing and
 * the public page's switch.
 */
export const load = (async (event) => {
  const { user } = await event.parent();
  const today = businessDate();
  const quarters = quartersUpTo(today, 5);
  const lastEnded = quarters.find((q) => q.to < today) ?? quarters[0]!;
  const fromParam = event.url.searchParams.get('from') ?? '';
  const toParam = event.url.searchParams.get('to') ?? '';
  const from = DATE.test(fromParam) ? fromParam : lastEnded.from;
  const to = DATE.test(toParam) ? toParam : lastEnded.to;
  const client = apiClient(event);
  const [report, settings, publications] = await Promise.all([
    settle(getApiReportsIndicators({ client, query: { from, to } })),
    settle(getApiReportsSettings({ client })),
    settle(getApiReportsPublications({ client })),
  ]);
  if (!report.ok && report.status === 401) loginRedirect(event.url);
  const quarter = quarterOf(from);
  const wholeQuarter = quarter.from === from && quarter.to === to;
  return {
    from,
    to,
    today,
    quarters,
    isAdmin: user.roles.includes('admin'),
    // Publishing is offered for a whole quarter that has ended and is not published yet.
    publishable:
      wholeQuarter &&
      to < today &&
      !(publications.ok && publications.data.items.some((p) => p.periodFrom === from && p.periodTo === to)),
    report: report.ok ? report.data : null,
    error: report.ok ? null : errorMessage(report, 'Raportul nu a putut fi calculat.'),
    settings: settings.ok ? settings.data : null,
    publications: publications.ok ? publications.data.items : [],
    meta: { title: 'Raportare ANRE' },
  };
}) satisfies PageServerLoad;

export const actions = {
  publish: async (event) => {
    requireRole(event, ['admin']);
    const form = await event.request.formData();
    const from = String(form.get('from') ?? '');
    const to = String(form.get('to') ?? '');
    const r = await settle(postApiReportsPublications({ client: apiClient(event), body: { from, to } }));
    if (!r.ok) return fail(r.status, { message: errorMessage(r, 'Trimestrul nu a putut fi publicat.') });
    return { published: r.data.label };
  },
  publicPage: async (event) => {
    requireRole(event, ['admin']);
    const form = await event.request.formData();
    const publicPage = form.get('publicPage') === 'on';
    const r = await settle(putApiReportsSettings({ client: apiClient(event), body: { publicPage } }));
    if (!r.ok) return fail(r.status, { message: errorMessage(r, 'Setarea nu a putut fi salvată.') });
    return { publicPageSaved: r.data.publicPage };
  },
} satisfies Actions;
