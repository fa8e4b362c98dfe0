import { fail, redirect } from '@sveltejs/kit';
import {
  getApiComplaintsByNumber,
  getApiComplaintsByNumberLinks,
  getApiDeadlinesExtensionOptionsByNumber,
  postApiComplaintsByNumberAnnulment,
  postApiComplaintsByNumberContestations,
  postApiDeadlinesExtensionRequests,
  type PostApiComplaintsByNumberContestationsData,
} from '$lib/api/generated';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { isAnsweredCase, isClosedCase } from '$codes/case-codes';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
  const { user } = await event.parent();
  const staff = user.roles.some((r) => r === 'officer' || r === 'supervisor');
  const client = apiClient(event);
  const path = { number: event.params.number };
  const [c, links, extension] = await Promise.all([
    apiLoad(event, getApiComplaintsByNumber({ client, path })),
    settle(getApiComplaintsByNumberLinks({ client, path })),
    staff ? settle(getApiDeadlinesExtensionOptionsByNumber({ client, path })) : null,
  ]);
  return {
    c,
    links: links.ok ? links.data : { contests: null, contestedBy: [] },
    extension: extension?.ok ? extension.data : null,
    extensionRequested: event.url.searchParams.get('extension') === '1',
    canContest:
      user.roles.some((r) => r === 'agent' || r === 'officer' || r === 'supervisor') &&
      isAnsweredCase(c.status),
    // Closed (answered and closed, filed or annulled) is case-codes.ts's one definition, as the API refuses it.
    canAnnul: user.roles.includes('supervisor') && !isClosedCase(c.status),
    annulled: event.url.searchParams.get('annulled') === '1',
    contested: event.url.searchParams.get('contested') === '1',
    meta: { title: `Reclamația ${c.number}` },
  };
}) satisfies PageServerLoad;

type ContestChannel = PostApiComplaintsByNumberContestationsData['body']['channel'];
const CONTEST_CHANNELS: readonly string[] = ['call_center', 'email', 'portal'] satisfies ContestChannel[];
const isContestChannel = (v: string): v is ContestChannel => CONTEST_CHANNELS.includes(v);

export const actions = {
  /** The officer holding the case proposes an extension (IL-32); SEF decides it in the inbox. */
  extend: async (event) => {
    requireRole(event, ['officer', 'supervisor']);
    const form = await event.request.formData();
    const extensionReason = String(form.get('extensionReason') ?? '').trim();
    const newDueDate = String(form.get('newDueDate') ?? '').trim();
    const keep = { extensionReason, newDueDate };
    if (extensionReason.length < 10)
      return fail(400, {
        ...keep,
        extensionField: 'extensionReason',
        extensionMessage:
          'Scrieți motivul prelungirii (cel puțin 10 caractere); apare în înștiințarea către client.',
      });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(newDueDate))
      return fail(400, {
        ...keep,
        extensionField: 'newDueDate',
        extensionMessage: 'Alegeți noul termen (o dată calendaristică).',
      });
    const r = await settle(
      postApiDeadlinesExtensionRequests({
        client: apiClient(event),
        body: { caseNumber: event.params.number, reason: extensionReason, newDueDate },
      }),
    );
    if (!r.ok)
      return fail(r.status, {
        ...keep,
        extensionField: r.status === 400 ? 'newDueDate' : null,
        extensionMessage: errorMessage(r, 'Prelungirea nu a putut fi propusă.'),
      });
    redirect(303, `/cases/${event.params.number}?extension=1`);
  },
  /** Annulling a registration made by mistake (supervisor): the number stays used, the reason is kept. */
  annul: async (event) => {
    requireRole(event, ['supervisor']);
    const form = await event.request.formData();
    const reason = String(form.get('reason') ?? '').trim();
    if (reason.length < 10)
      return fail(400, { reason, message: 'Motivul trebuie să aibă cel puțin 10 caractere.' });
    const r = await settle(
      postApiComplaintsByNumberAnnulment({
        client: apiClient(event),
        path: { number: event.params.number },
        body: { reason },
      }),
    );
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
    if (!isContestChannel(channel))
      return fail(400, { contestBody: body, contestMessage: 'Alegeți cum a sosit contestația.' });
    if (body.length < 10)
      return fail(400, {
        contestBody: body,
        contestMessage: 'Descrieți pe scurt ce contestă consumatorul (cel puțin 10 caractere).',
      });
    const r = await settle(
      postApiComplaintsByNumberContestations({
        client: apiClient(event),
        path: { number: event.params.number },
        body: { body, channel },
      }),
    );
    if (!r.ok)
      return fail(r.status, {
        contestBody: body,
        contestMessage: errorMessage(r, 'Contestația nu a putut fi înregistrată.'),
      });
    redirect(303, `/cases/${r.data.number}?contested=1`);
  },
} satisfies Actions;
