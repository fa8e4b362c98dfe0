import { error } from '@sveltejs/kit';
import { getApiPortalCasesByNumberFilesByFileId } from '$lib/api/generated';
import { apiDownload } from '$lib/server/api';
import { portalClient } from '$lib/server/portal-api';
import type { RequestHandler } from './$types';

/** A file one sent in the portal, as stored (the API checks ownership and audits the download). */
export const GET: RequestHandler = async (event) => {
  const { number, id } = event.params;
  if (!/^[A-Za-z0-9-]{1,40}$/.test(number) || !/^\d{1,12}$/.test(id)) error(404, 'Fișierul nu există.');
  const r = await apiDownload(
    getApiPortalCasesByNumberFilesByFileId({
      client: portalClient(event),
      path: { number: number.toUpperCase(), fileId: Number(id) },
      parseAs: 'stream',
    }),
  );
  if (r.status === 401) error(401, 'Sesiunea a expirat. Autentificați-vă din nou.');
  if (!r.ok || r.status !== 200) error(404, 'Fișierul nu există.');
  return r.data;
};
