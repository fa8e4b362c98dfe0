import { error } from '@sveltejs/kit';
import { getApiPortalCasesByNumberDocumentsByDocumentId } from '$lib/api/generated';
import { apiDownload } from '$lib/server/api';
import { portalClient } from '$lib/server/portal-api';
import type { RequestHandler } from './$types';

/** A document of one's own case (the API checks ownership and audits the download). */
export const GET: RequestHandler = async (event) => {
  const { number, id } = event.params;
  if (!/^[A-Za-z0-9-]{1,40}$/.test(number) || !/^\d{1,12}$/.test(id)) error(404, 'Documentul nu există.');
  const r = await apiDownload(
    getApiPortalCasesByNumberDocumentsByDocumentId({
      client: portalClient(event),
      path: { number: number.toUpperCase(), documentId: Number(id) },
      parseAs: 'stream',
    }),
  );
  if (r.status === 401) error(401, 'Sesiunea a expirat. Autentificați-vă din nou.');
  if (!r.ok || r.status !== 200) error(404, 'Documentul nu există.');
  return r.data;
};
