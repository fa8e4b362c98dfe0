import { error } from '@sveltejs/kit';
import { getApiPrivacyExport } from '$lib/api/generated';
import { apiClient, apiDownload } from '$lib/server/api';
import { requireDpo } from '$lib/server/guard-dpo';
import type { RequestHandler } from './$types';

/** The data-subject export, passed through from the API (which checks the DPO role again and logs the export). */
export const GET = (async (event) => {
  requireDpo(event);
  const query: { customerId?: string; email?: string } = {};
  const customerId = event.url.searchParams.get('customerId');
  const email = event.url.searchParams.get('email');
  if (customerId) query.customerId = customerId;
  if (email) query.email = email;
  // Why the data is read reaches the access log as this page (the bridge's x-access-via header).
  const r = await apiDownload(getApiPrivacyExport({ client: apiClient(event), query, parseAs: 'stream' }));
  if (!r.ok) error(r.status >= 400 && r.status < 600 ? r.status : 500, r.data.message);
  return r.data;
}) satisfies RequestHandler;
