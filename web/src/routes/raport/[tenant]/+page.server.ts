import { error } from '@sveltejs/kit';
import { getApiReportsPublicByTenant } from '$lib/api/generated';
import { apiClient, settle } from '$lib/server/api';
import { errorMessage } from '$lib/api/error-message';
import type { PageServerLoad } from './$types';

/**
 * A supplier's public complaint report (no login): its latest published quarter, as it was published. Shown only
 * when the supplier chose to; otherwise, like for an unknown supplier, "not published".
 */
export const load = (async (event) => {
  const code = event.params.tenant.trim().toUpperCase();
  const r = await settle(getApiReportsPublicByTenant({ client: apiClient(event), path: { tenant: code } }));
  if (r.ok)
    return { report: r.data, meta: { title: `Raport privind reclamațiile – ${r.data.supplier.name}` } };
  if (r.status === 400 || r.status === 404) error(404, 'Furnizorul nu are un raport publicat.');
  error(
    r.status >= 400 && r.status < 600 ? r.status : 500,
    errorMessage(r, 'Pagina nu poate fi afișată acum.'),
  );
}) satisfies PageServerLoad;
