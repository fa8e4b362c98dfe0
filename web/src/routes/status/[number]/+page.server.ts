import { getApiStatusByNumber } from '$lib/api/generated';
import { apiClient, settle } from '$lib/server/api';
import { errorMessage } from '$lib/api/error-message';
import type { PageServerLoad } from './$types';

const NOT_FOUND = 'Nu am găsit o reclamație cu acest număr și cod de acces.';

/** The consumer's status page: public, no session needed; a wrong number or code gives one plain message. */
export const load = (async (event) => {
  const number = event.params.number.trim().toUpperCase();
  const code = (event.url.searchParams.get('code') ?? '').trim();
  const base = { number, code, meta: { title: `Reclamația ${number}` } };
  if (!code) return { ...base, status: null, message: 'Introduceți și codul de acces.' };

  const r = await settle(
    getApiStatusByNumber({ client: apiClient(event), path: { number }, query: { code } }),
  );
  if (r.ok) return { ...base, status: r.data, message: null };
  // 400 (a malformed number or code) and 404 mean the same to the consumer.
  const message =
    r.status === 400 || r.status === 404
      ? NOT_FOUND
      : errorMessage(r, 'Pagina nu poate fi afișată acum. Reveniți peste câteva minute.');
  return { ...base, status: null, message };
}) satisfies PageServerLoad;
