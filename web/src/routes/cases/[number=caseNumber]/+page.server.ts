import { fail, redirect } from '@sveltejs/kit';
import type { AnnulResult, CaseDetail } from '$lib/api/types';
import { api, apiLoad } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { errorMessage } from '$lib/utils/handle-error';
import type { CaseLinksData } from '$lib/components/case/CaseLinks.svelte';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
  const { user } = await event.parent();
  const [c, links] = await Promise.all([
    apiLoad<CaseDetail>(event, `/api/complaints/${event.params.number}`),
    api<CaseLinksData>(event, 'GET', `/api/complaints/${event.params.number}/links`),
  ]);
  return {
    c,
    links: links.ok ? links.data : { contests: null, contestedBy: [] },
    canContest:
      user.roles.some((r) => r === 'agent' || r === 'officer' || r === 'supervisor') &&
      ['answer_sent', 'closed', 'filed'].includes(c.status),
    canAnnul: user.roles.includes('supervisor') && c.status !== 'annulled' && c.status !== 'closed',
    annulled: event.url.searchParams.get('annulled') === '1',
    contested: event.url.searchParams.get('contested') === '1',
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
  /** The consumer contests the answer: a new linked case ("handling of earlier complaints"); this one stays as it is. */
  contest: async (event) => {
    requireRole(event, ['agent', 'officer', 'supervisor']);
    const form = await event.request.formData();
    const body = String(form.get('contestBody') ?? '').trim();
    const channel = String(form.get('channel') ?? 'call_center');
    if (body.length < 10)
      return fail(400, {
        contestBody: body,
        contestMessage: 'Descrieți pe scurt ce contestă consumatorul (cel puțin 10 caractere).',
      });
    const r = await api<{ number: string }>(
      event,
      'POST',
      `/api/complaints/${event.params.number}/contestations`,
      { body, channel },
    );
    if (!r.ok)
      return fail(r.status, {
        contestBody: body,
        contestMessage: errorMessage(r, 'Contestația nu a putut fi înregistrată.'),
      });
    redirect(303, `/cases/${r.data.number}?contested=1`);
  },
} satisfies Actions;
