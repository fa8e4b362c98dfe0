import { fail, redirect } from '@sveltejs/kit';
import {
  getApiCallCenterEarlierCases,
  getApiComplaintsByNumber,
  getApiCustomers,
  postApiCallCenterComplaints,
  postApiComplaints,
  postApiPrivacyRequests,
} from '$lib/api/generated';
import type { CaseDetail, CustomerList } from '$lib/api/types';
import type { EarlierCase } from '$lib/components/callcenter/types';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { CATEGORY_LABELS } from '$lib/categories';
import { complaintCategory, contactOf, readComplaintForm } from '$lib/complaint-form';
import { errorMessage } from '$lib/api/error-message';
import { authorityBody, authorityFields, authorityProblem } from '$lib/authority-referral';
import { businessDate } from '$codes/business-date';
import { dataSubjectRights, type DataSubjectRight } from '$codes/privacy-codes';
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

  const client = apiClient(event);
  let registered: CaseDetail | null = null;
  if (registeredNumber && CASE_NUMBER.test(registeredNumber)) {
    registered = await apiLoad(
      event,
      getApiComplaintsByNumber({ client, path: { number: registeredNumber } }),
    );
  }

  let customers: CustomerList['items'] | null = null;
  let earlier: EarlierCase[] = [];
  let searchError: string | null = null;
  if (q.length === 1) searchError = 'Scrieți cel puțin 2 caractere.';
  else if (q.length > 100) searchError = 'Căutarea poate avea cel mult 100 de caractere.';
  else if (q) {
    const r = await settle(getApiCustomers({ client, query: { q } }));
    if (r.ok) customers = r.data.items;
    else searchError = errorMessage(r, 'Căutarea nu a reușit. Încercați din nou.');
  }
  if (customers?.length) {
    const customerId = customers.slice(0, 20).map((c) => c.id);
    const r = await settle(getApiCallCenterEarlierCases({ client, query: { customerId } }));
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

export const actions = {
  register: async (event) => {
    requireRole(event, AREA_ROLES.callCenter);
    const form = await event.request.formData();
    const values = {
      ...readComplaintForm(form),
      target: String(form.get('target') ?? '').trim(),
      resolvedOnCall: form.get('resolvedOnCall') === 'on',
      resolution: String(form.get('resolution') ?? '').trim(),
      ...authorityFields(form),
    };
    const client = apiClient(event);
    // The radio value is "customerId:placeId" (placeId empty for a customer without places), or "none".
    const [customerId, placeId] = values.target === 'none' ? [] : values.target.split(':');
    // "Cerere GDPR": not a complaint; the request goes to the DPO with its own number and one-month deadline.
    if (values.category.startsWith('gdpr:')) {
      const right = values.category.slice(5);
      if (!isRight(right))
        return fail(400, { values, field: 'category', message: 'Alegeți dreptul exercitat.' });
      const r = await settle(
        postApiPrivacyRequests({
          client,
          body: {
            right,
            channel: 'call_center',
            details: values.body.trim(),
            ...(customerId ? { customerId } : {}),
            ...contactOf(values),
          },
        }),
      );
      if (!r.ok)
        return fail(r.status, {
          values,
          message: errorMessage(r, 'Cererea GDPR nu a putut fi înregistrată.'),
        });
      redirect(303, `/call-center?gdpr=${encodeURIComponent(r.data.number)}&due=${r.data.dueDate}`);
    }
    const category = complaintCategory(values);
    if (!category.ok) return fail(400, { values, field: category.field, message: category.message });
    const authority = authorityProblem(values, businessDate());
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
        field: 'resolution',
        message: 'Descrieți soluția comunicată clientului (cel puțin 10 caractere).',
      });
    }
    const body = {
      category: category.category,
      // Most calls need no subject of their own: the category says what it is about.
      subject: values.subject || CATEGORY_LABELS[category.category],
      body: values.body.trim(),
      ...(customerId ? { customerId } : {}),
      ...(placeId ? { placeId } : {}),
      ...contactOf(values),
    };

    // An authority's referral is registered with its source (POST /api/complaints); a consumer's call may also be
    // resolved on the spot (the call-center API).
    const r =
      values.source === 'authority'
        ? await settle(postApiComplaints({ client, body: { ...body, ...authorityBody(values) } }))
        : await settle(
            postApiCallCenterComplaints({
              client,
              body: { ...body, ...(values.resolvedOnCall ? { resolution: values.resolution } : {}) },
            }),
          );
    if (!r.ok) {
      return fail(r.status, {
        values,
        message: errorMessage(r, 'Reclamația nu a putut fi înregistrată. Încercați din nou.'),
      });
    }
    const fcr = 'resolvedDuringCall' in r.data && r.data.resolvedDuringCall ? '&fcr=1' : '';
    redirect(303, `/call-center?registered=${encodeURIComponent(r.data.number)}${fcr}#inregistrata`);
  },
} satisfies Actions;

const isRight = (v: string): v is DataSubjectRight => (dataSubjectRights as readonly string[]).includes(v);
