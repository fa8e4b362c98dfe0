import { fail, redirect } from '@sveltejs/kit';
import type { CaseDetail, CreateComplaintBody, CustomerList } from '$lib/api/types';
import type { EarlierCase, PhoneRegistration } from '$lib/components/callcenter/types';
import { api, apiLoad } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { CATEGORY_LABELS, isCategory } from '$lib/categories';
import { errorMessage } from '$lib/utils/handle-error';
import { authorityBody, authorityFields, authorityProblem, bucharestToday } from '$lib/authority-referral';
import type { Actions, PageServerLoad } from './$types';

const CASE_NUMBER = /^[A-Z0-9]{2,20}-\d{4}-\d{6}$/;

/**
 * The call-center console: `?q=` searches customers (GET, so the browser's back button and a reload work) and
 * shows their places and earlier cases; `?registered=NUMBER` shows the confirmation of a registration that just
 * happened (post/redirect/get, so a reload never registers twice). The page previews the legal deadline of the
 * chosen category in the browser (GET /api/deadlines/preview), so the agent can tell the consumer before registering.
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
  let earlier: EarlierCase[] = [];
  let searchError: string | null = null;
  if (q.length === 1) searchError = 'Scrieți cel puțin 2 caractere.';
  else if (q.length > 100) searchError = 'Căutarea poate avea cel mult 100 de caractere.';
  else if (q) {
    const r = await api<CustomerList>(event, 'GET', `/api/customers?q=${encodeURIComponent(q)}`);
    if (r.ok) customers = r.data.items;
    else searchError = errorMessage(r, 'Căutarea nu a reușit. Încercați din nou.');
  }
  if (customers?.length) {
    const qs = customers
      .slice(0, 20)
      .map((c) => `customerId=${encodeURIComponent(c.id)}`)
      .join('&');
    const r = await api<{ items: EarlierCase[] }>(event, 'GET', `/api/call-center/earlier-cases?${qs}`);
    if (r.ok) earlier = r.data.items;
  }

  return {
    q,
    customers,
    earlier,
    searchError,
    registered,
    resolvedDuringCall: event.url.searchParams.get('fcr') === '1',
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
      resolvedOnCall: form.get('resolvedOnCall') === 'on',
      resolution: text(form, 'resolution'),
      ...authorityFields(form),
    };
    // "Cerere GDPR": not a complaint; the request goes to the DPO with its own number and one-month deadline.
    if (values.category.startsWith('gdpr:')) {
      const [customerId] = values.target === 'none' ? [] : values.target.split(':');
      const r = await api<{ number: string; dueDate: string }>(event, 'POST', '/api/privacy/requests', {
        right: values.category.slice(5),
        channel: 'call_center',
        details: values.body.trim(),
        ...(customerId ? { customerId } : {}),
        ...(values.contactName ? { contactName: values.contactName } : {}),
        ...(values.contactEmail ? { contactEmail: values.contactEmail } : {}),
        ...(values.contactPhone ? { contactPhone: values.contactPhone } : {}),
      });
      if (!r.ok)
        return fail(r.status, {
          values,
          message: errorMessage(r, 'Cererea GDPR nu a putut fi înregistrată.'),
        });
      redirect(303, `/call-center?gdpr=${encodeURIComponent(r.data.number)}&due=${r.data.dueDate}`);
    }
    if (!isCategory(values.category)) {
      return fail(400, { values, message: 'Alegeți categoria reclamației.' });
    }
    const authority = authorityProblem(values, bucharestToday());
    if (authority) return fail(400, { values, field: authority.field, message: authority.message });
    if (values.source === 'authority' && values.resolvedOnCall)
      return fail(400, {
        values,
        field: 'source',
        message:
          'O sesizare transmisă de o autoritate nu se închide în timpul apelului: autoritatea așteaptă răspunsul scris.',
      });
    if (values.resolvedOnCall && values.resolution.length < 10) {
      return fail(400, {
        values,
        message: 'Descrieți soluția comunicată clientului (cel puțin 10 caractere).',
      });
    }
    // The radio value is "customerId:placeId" (placeId empty for a customer without places), or "none".
    const [customerId, placeId] = values.target === 'none' ? [] : values.target.split(':');
    const body: CreateComplaintBody & { resolution?: string } = {
      category: values.category,
      // Most calls need no subject of their own: the category says what it is about.
      subject: values.subject || CATEGORY_LABELS[values.category],
      body: values.body.trim(),
    };
    if (customerId) body.customerId = customerId;
    if (placeId) body.placeId = placeId;
    if (values.contactName) body.contactName = values.contactName;
    if (values.contactEmail) body.contactEmail = values.contactEmail;
    if (values.contactPhone) body.contactPhone = values.contactPhone;
    if (values.resolvedOnCall) body.resolution = values.resolution;

    // An authority's referral is registered with its source (POST /api/complaints); a consumer's call may also be
    // resolved on the spot (the call-center API).
    const r =
      values.source === 'authority'
        ? await api<PhoneRegistration>(event, 'POST', '/api/complaints', {
            ...body,
            ...authorityBody(values),
          })
        : await api<PhoneRegistration>(event, 'POST', '/api/call-center/complaints', body);
    if (!r.ok) {
      return fail(r.status, {
        values,
        message: errorMessage(r, 'Reclamația nu a putut fi înregistrată. Încercați din nou.'),
      });
    }
    const fcr = r.data.resolvedDuringCall ? '&fcr=1' : '';
    redirect(303, `/call-center?registered=${encodeURIComponent(r.data.number)}${fcr}#inregistrata`);
  },
} satisfies Actions;
