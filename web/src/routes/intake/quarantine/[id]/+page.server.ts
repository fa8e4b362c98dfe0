import { error, fail, redirect } from '@sveltejs/kit';
import type { CreateComplaintBody } from '$lib/api/types';
import type { QuarantineDetail } from '$lib/components/intake/quarantine';
import { api, apiLoad } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { isCategory } from '$lib/categories';
import { errorMessage } from '$lib/utils/handle-error';
import { authorityBody, authorityFields, authorityProblem, bucharestToday } from '$lib/authority-referral';
import { dataSubjectRights, type DataSubjectRight } from '$codes/privacy-codes';
import type { Actions, PageServerLoad } from './$types';

function idOf(raw: string): number {
  if (!/^\d{1,12}$/.test(raw)) error(404, 'Mesajul din carantină nu există.');
  return Number(raw);
}

/** One quarantined message: what arrived (text only), the .eml, and the officer's two ways out. */
export const load = (async (event) => {
  await event.parent();
  const id = idOf(event.params.id);
  const message = await apiLoad<QuarantineDetail>(event, `/api/quarantine/${id}`);
  return { message, meta: { title: `Carantină: ${message.subject || 'mesaj fără subiect'}` } };
}) satisfies PageServerLoad;

function text(form: FormData, name: string): string {
  return String(form.get(name) ?? '').trim();
}

export const actions = {
  register: async (event) => {
    requireRole(event, AREA_ROLES.inbox);
    const id = idOf(event.params.id);
    const form = await event.request.formData();
    const values = {
      category: text(form, 'category'),
      subject: text(form, 'subject'),
      body: text(form, 'body'),
      contactName: text(form, 'contactName'),
      contactEmail: text(form, 'contactEmail'),
      contactPhone: text(form, 'contactPhone'),
      ...authorityFields(form),
    };
    if (!isCategory(values.category))
      return fail(400, { action: 'register', values, message: 'Alegeți categoria reclamației.' });
    const authority = authorityProblem(values, bucharestToday());
    if (authority)
      return fail(400, { action: 'register', values, field: authority.field, message: authority.message });
    const body: CreateComplaintBody = {
      category: values.category,
      subject: values.subject,
      body: values.body,
    };
    if (values.contactName) body.contactName = values.contactName;
    if (values.contactEmail) body.contactEmail = values.contactEmail;
    if (values.contactPhone) body.contactPhone = values.contactPhone;
    const r = await api<{ number: string }>(event, 'POST', `/api/quarantine/${id}/registration`, {
      ...body,
      ...authorityBody(values),
    });
    if (!r.ok)
      return fail(r.status, {
        action: 'register',
        values,
        message: errorMessage(r, 'Mesajul nu a putut fi înregistrat. Încercați din nou.'),
      });
    redirect(303, `/cases/${encodeURIComponent(r.data.number)}`);
  },
  /** The message is a data-subject request (GDPR), not a complaint: registered as one, the month from arrival. */
  gdpr: async (event) => {
    requireRole(event, AREA_ROLES.inbox);
    const id = idOf(event.params.id);
    const form = await event.request.formData();
    const values = { right: text(form, 'right'), details: text(form, 'details') };
    if (!(dataSubjectRights as readonly string[]).includes(values.right))
      return fail(400, {
        action: 'gdpr',
        values,
        field: 'right',
        message: 'Alegeți dreptul exercitat de persoană.',
      });
    if (values.details.length < 5)
      return fail(400, {
        action: 'gdpr',
        values,
        field: 'details',
        message: 'Descrieți cererea (cel puțin 5 caractere).',
      });
    const r = await api<{ number: string }>(event, 'POST', '/api/privacy/requests/from-quarantine', {
      quarantineId: id,
      right: values.right as DataSubjectRight,
      details: values.details.slice(0, 20000),
    });
    if (!r.ok)
      return fail(r.status, {
        action: 'gdpr',
        values,
        message: errorMessage(r, 'Mesajul nu a putut fi înregistrat ca cerere GDPR. Încercați din nou.'),
      });
    return { action: 'gdpr', number: r.data.number };
  },
  handle: async (event) => {
    requireRole(event, AREA_ROLES.inbox);
    const id = idOf(event.params.id);
    const form = await event.request.formData();
    const reason = text(form, 'reason');
    if (reason.length < 5)
      return fail(400, {
        action: 'handle',
        values: { reason },
        message: 'Scrieți motivul (cel puțin 5 caractere).',
      });
    const r = await api(event, 'POST', `/api/quarantine/${id}/handling`, { reason });
    if (!r.ok)
      return fail(r.status, {
        action: 'handle',
        values: { reason },
        message: errorMessage(r, 'Mesajul nu a putut fi marcat ca tratat.'),
      });
    redirect(303, '/intake/quarantine?status=open');
  },
} satisfies Actions;
