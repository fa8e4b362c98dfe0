import { fail, redirect } from '@sveltejs/kit';
import type { AnnulResult, CaseDetail } from '$lib/api/types';
import { api, apiLoad } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { errorMessage } from '$lib/utils/handle-error';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
  const { user } = await event.parent();
  const c = await apiLoad<CaseDetail>(event, `/api/complaints/${event.params.number}`);
  return {
    c,
    canAnnul: user.roles.includes('supervisor') && c.status !== 'annulled' && c.status !== 'closed',
    annulled: event.url.searchParams.get('annulled') === '1',
    meta: { title: `Reclamația ${c.number}` },
  };
}) satisfies PageServerLoad;

export const actions = {
  /** Annulling a registration made by mistake (supervisor): the number stays used, the reason is kept. */
  annul: async (event) => {
    requireRole(event, ['supervisor']);
    const form = await event.request.formData();
    const reason = String(form.get('reason') ?? '').trim();
    if (reason.length < 10)
      return fail(400, { reason, message: 'Motivul trebuie să aibă cel puțin 10 caractere.' });
    const r = await api<AnnulResult>(event, 'POST', `/api/complaints/${event.params.number}/annulment`, {
      reason,
    });
    if (!r.ok)
      return fail(r.status, { reason, message: errorMessage(r, 'Înregistrarea nu a putut fi anulată.') });
    redirect(303, `/cases/${event.params.number}?annulled=1`);
  },
} satisfies Actions;
