import { fail } from '@sveltejs/kit';
import {
  getApiPrivacyAccessLog,
  getApiPrivacyRequests,
  getApiPrivacyRetention,
  postApiPrivacyRequestsByNumberAnswer,
  postApiPrivacyRequestsByNumberExtend,
  putApiPrivacyRetention,
  type PostApiPrivacyRequestsByNumberAnswerData,
} from '$lib/api/generated';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireDpo } from '$lib/server/guard-dpo';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

type Outcome = NonNullable<PostApiPrivacyRequestsByNumberAnswerData['body']['outcome']>;
const OUTCOMES: readonly string[] = ['granted', 'partly_refused', 'refused'] satisfies Outcome[];
const isOutcome = (v: string): v is Outcome => OUTCOMES.includes(v);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CASE = /^[A-Z0-9]{2,20}-\d{4}-\d{6}$/;

/** The data-protection officer's page: GDPR requests, who read whose data, the export and the retention period. */
export const load = (async (event) => {
  await event.parent();
  const q = event.url.searchParams;
  const filter = {
    actorId: UUID.test(q.get('actorId') ?? '') ? q.get('actorId')! : '',
    customerId: UUID.test(q.get('customerId') ?? '') ? q.get('customerId')! : '',
    caseNumber: CASE.test(q.get('caseNumber') ?? '') ? q.get('caseNumber')! : '',
  };
  const query = {
    limit: 200,
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.customerId ? { customerId: filter.customerId } : {}),
    ...(filter.caseNumber ? { caseNumber: filter.caseNumber } : {}),
  };
  const client = apiClient(event);
  const [requests, access, retention] = await Promise.all([
    apiLoad(event, getApiPrivacyRequests({ client })),
    apiLoad(event, getApiPrivacyAccessLog({ client, query })),
    apiLoad(event, getApiPrivacyRetention({ client })),
  ]);
  return {
    requests: requests.items,
    access: access.items,
    filter,
    retentionYears: retention.years,
    meta: { title: 'Protecția datelor (DPO)' },
  };
}) satisfies PageServerLoad;

export const actions = {
  extend: async (event) => {
    requireDpo(event);
    const form = await event.request.formData();
    const number = String(form.get('number') ?? '');
    const months = Number(form.get('months') ?? 0);
    const reason = String(form.get('reason') ?? '').trim();
    if (reason.length < 10)
      return fail(400, {
        action: 'extend',
        number,
        message: 'Scrieți motivul prelungirii (cel puțin 10 caractere).',
      });
    const r = await settle(
      postApiPrivacyRequestsByNumberExtend({
        client: apiClient(event),
        path: { number },
        body: { months, reason },
      }),
    );
    if (!r.ok)
      return fail(r.status, {
        action: 'extend',
        number,
        message: errorMessage(r, 'Termenul nu a putut fi prelungit.'),
      });
    return {
      action: 'extend',
      done: `Termenul cererii ${number} a fost prelungit; notificarea a fost emisă.`,
    };
  },
  answer: async (event) => {
    requireDpo(event);
    const form = await event.request.formData();
    const number = String(form.get('number') ?? '');
    const answerText = String(form.get('answerText') ?? '').trim();
    const outcome = String(form.get('outcome') ?? 'granted');
    const refusalReason = String(form.get('refusalReason') ?? '').trim();
    if (answerText.length < 10)
      return fail(400, { action: 'answer', number, message: 'Scrieți răspunsul (cel puțin 10 caractere).' });
    if (!isOutcome(outcome))
      return fail(400, { action: 'answer', number, message: 'Alegeți rezultatul cererii.' });
    const r = await settle(
      postApiPrivacyRequestsByNumberAnswer({
        client: apiClient(event),
        path: { number },
        body: { answerText, outcome, ...(refusalReason ? { refusalReason } : {}) },
      }),
    );
    if (!r.ok)
      return fail(r.status, {
        action: 'answer',
        number,
        message: errorMessage(r, 'Răspunsul nu a putut fi înregistrat.'),
      });
    return { action: 'answer', done: `Răspunsul la cererea ${number} a fost emis.` };
  },
  retention: async (event) => {
    requireDpo(event);
    const form = await event.request.formData();
    const years = Number(form.get('years') ?? 0);
    const r = await settle(putApiPrivacyRetention({ client: apiClient(event), body: { years } }));
    if (!r.ok)
      return fail(r.status, {
        action: 'retention',
        message: errorMessage(r, 'Termenul nu a putut fi salvat.'),
      });
    return { action: 'retention', done: `Datele personale ale dosarelor închise se păstrează ${years} ani.` };
  },
} satisfies Actions;
