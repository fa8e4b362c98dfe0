import { fail, redirect } from '@sveltejs/kit';
import type { CaseDetail, CreateComplaintBody, CustomerList, RegisteredComplaint } from '$lib/api/types';
import { api, apiLoad } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { isCategory } from '$lib/categories';
import { errorMessage } from '$lib/utils/handle-error';
import type { Actions, PageServerLoad } from './$types';

const CASE_NUMBER = /^[A-Z0-9]{2,20}-\d{4}-\d{6}$/;

/**
 * The call-center screen: `?q=` searches customers (GET, so the browser's back button and a reload work);
 * `?registered=NUMBER` shows the confirmation of a registration that just happened (post/redirect/get, so a
 * reload never registers twice).
 */
export const load = (async (event) => {
  await event.parent();
  const q = (event.url.searchParams.get('q') ?? '').trim();
  const registeredNumber = event.url.searchParams.get('registered');

  let registered: CaseDetail | null = null;
  if (registeredNumber && CASE_NUMBER.test(registeredNumber)) {
    registered = await apiLoad<CaseDetail>(event, `/api/complaints/${registeredNumber}`);
  }

  let customers: CustomerList['items'] | null = null;
  let searchError: string | null = null;
  if (q.length === 1) searchError = 'Scrieți cel puțin 2 caractere.';
  else if (q.length > 100) searchError = 'Căutarea poate avea cel mult 100 de caractere.';
  else if (q) {
    const r = await api<CustomerList>(event, 'GET', `/api/customers?q=${encodeURIComponent(q)}`);
    if (r.ok) customers = r.data.items;
    else searchError = errorMessage(r, 'Căutarea nu a reușit. Încercați din nou.');
  }

  return {
    q,
    customers,
    searchError,
    registered,
    meta: { title: registered ? 'Reclamație înregistrată' : 'Call center' },
  };
}) satisfies PageServerLoad;

function text(form: FormData, name: string): string {
  return String(form.get(name) ?? '').trim();
}

export const actions = {
  register: async (event) => {
    requireRole(event, AREA_ROLES.callCenter);
    const form = await event.request.formData();
    const values = {
      target: text(form, 'target'),
      category: text(form, 'category'),
      subject: text(form, 'subject'),
      body: String(form.get('body') ?? ''),
      contactName: text(form, 'contactName'),
      contactEmail: text(form, 'contactEmail'),
      contactPhone: text(form, 'contactPhone'),
    };
    if (!isCategory(values.category)) {
      return fail(400, { values, message: 'Alegeți categoria reclamației.' });
    }
    // The radio value is "customerId:placeId" (placeId empty for a customer without places), or "none".
    const [customerId, placeId] = values.target === 'none' ? [] : values.target.split(':');
    const body: CreateComplaintBody = {
      category: values.category,
      subject: values.subject,
      body: values.body.trim(),
    };
    if (customerId) body.customerId = customerId;
    if (placeId) body.placeId = placeId;
    if (values.contactName) body.contactName = values.contactName;
    if (values.contactEmail) body.contactEmail = values.contactEmail;
    if (values.contactPhone) body.contactPhone = values.contactPhone;

    const r = await api<RegisteredComplaint>(event, 'POST', '/api/complaints', body);
    if (!r.ok) {
      return fail(r.status, {
        values,
        message: errorMessage(r, 'Reclamația nu a putut fi înregistrată. Încercați din nou.'),
      });
    }
    redirect(303, `/call-center?registered=${encodeURIComponent(r.data.number)}#inregistrata`);
  },
} satisfies Actions;
