import { error } from '@sveltejs/kit';
import { getApiReportsIndicators } from '$lib/api/generated';
import { AREA_ROLES } from '$lib/roles';
import { apiClient, apiDownload } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import type { RequestHandler } from './$types';

const FORMATS = ['xlsx', 'csv', 'pdf'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The report as a file (XLSX, CSV or PDF), passed through from the API, which checks the role again. */
export const GET = (async (event) => {
  requireRole(event, AREA_ROLES.reports);
  const from = event.url.searchParams.get('from') ?? '';
  const to = event.url.searchParams.get('to') ?? '';
  const format = FORMATS.find((f) => f === event.url.searchParams.get('format'));
  if (!DATE.test(from) || !DATE.test(to) || !format) error(400, 'Alegeți perioada și formatul fișierului.');
  const r = await apiDownload(
    getApiReportsIndicators({ client: apiClient(event), query: { from, to, format }, parseAs: 'stream' }),
  );
  if (!r.ok) error(r.status >= 400 && r.status < 600 ? r.status : 500, r.data.message);
  return r.data;
}) satisfies RequestHandler;
