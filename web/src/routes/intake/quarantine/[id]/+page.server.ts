import { error, fail, redirect } from '@sveltejs/kit';
import {
  getApiQuarantineById,
  postApiPrivacyRequestsFromQuarantine,
  postApiQuarantineByIdHandling,
  postApiQuarantineByIdRegistration,
} from '$lib/api/generated';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { complaintCategory, contactOf, readComplaintForm } from '$lib/complaint-form';
import { errorMessage } from '$lib/api/error-message';
import { authorityBody, authorityFields, authorityProblem } from '$lib/authority-referral';
import { businessDate } from '$codes/business-date';
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
  const message = await apiLoad(event, getApiQuarantineById({ client: apiClient(event), path: { id } }));
  return { message, meta: { title: `Carantină: ${message.subject || 'mesaj fără subiect'}` } };
}) satisfies PageServerLoad;

const isRight = (v: string): v is DataSubjectRight => (dataSubjectRights as readonly string[]).includes(v);

function text(form: FormData, name: string): string {
  return String(form.get(name) ?? '').trim();
}

export const actions = {
  register: async (event) => {
    requireRole(event, AREA_ROLES.inbox);
    const id = idOf(event.params.id);
    const form = await event.request.formData();
    const values = { ...readComplaintForm(form), ...authorityFields(form) };
    const category = complaintCategory(values);
    if (!category.ok)
      return fail(400, { action: 'register', values, field: category.field, message: category.message });
    const authority = authorityProblem(values, businessDate());
    if (authority)
      return fail(400, { action: 'register', values, field: authority.field, message: authority.message });
    const r = await settle(
      postApiQuarantineByIdRegistration({
        client: apiClient(event),
        path: { id },
        body: {
          category: category.category,
          subject: values.subject,
          body: values.body.trim(),
          ...contactOf(values),
          ...authorityBody(values),
        },
      }),
    );
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
    if (!isRight(values.right))
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
    const right = values.right;
    const r = await settle(
      postApiPrivacyRequestsFromQuarantine({
        client: apiClient(event),
        body: { quarantineId: id, right, details: values.details.slice(0, 20000) },
      }),
    );
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
    const r = await settle(
      postApiQuarantineByIdHandling({ client: apiClient(event), path: { id }, body: { reason } }),
    );
    if (!r.ok)
      return fail(r.status, {
        action: 'handle',
        values: { reason },
        message: errorMessage(r, 'Mesajul nu a putut fi marcat ca tratat.'),
      });
    redirect(303, '/intake/quarantine?status=open');
  },
} satisfies Actions;
