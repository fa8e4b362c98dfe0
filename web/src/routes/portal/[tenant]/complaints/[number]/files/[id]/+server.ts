import { error } from '@sveltejs/kit';
import { portalDownload } from '$lib/server/portal-api';
import type { RequestHandler } from './$types';

/** A file one sent in the portal, as stored (the API checks ownership and audits the download). */
export const GET: RequestHandler = async (event) => {
  const { number, id } = event.params;
  if (!/^[A-Za-z0-9-]{1,40}$/.test(number) || !/^\d{1,12}$/.test(id)) error(404, 'Fișierul nu există.');
  const res = await portalDownload(event, `/api/portal/cases/${number.toUpperCase()}/files/${id}`);
  if (res.status === 401) error(401, 'Sesiunea a expirat. Autentificați-vă din nou.');
  if (res.status !== 200) error(404, 'Fișierul nu există.');
  return res;
};
