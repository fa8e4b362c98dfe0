import { isCategory } from '$lib/categories';
import type { ComplaintCategory } from '$lib/api/types';

/**
 * The complaint form's own fields, shared by the three places a complaint is typed in: the call center (an agent,
 * during the call), the registry (a quarantined e-mail, web/src/routes/intake/quarantine/[id]) and the consumer
 * portal. The page adds what only it has (the customer's place, the authority's referral, resolution during the
 * call, files); ComplaintForm.svelte draws these fields with the same names.
 */
export interface ComplaintFormValues {
  category: string;
  subject: string;
  /** As typed (line breaks and all); trimmed when sent. */
  body: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
}

/** The form's values, from the browser's form data or from the text fields of a relayed form (form-relay.ts). */
export function readComplaintForm(form: FormData | Record<string, string>): ComplaintFormValues {
  const raw = (name: string) => String((form instanceof FormData ? form.get(name) : form[name]) ?? '');
  const text = (name: string) => raw(name).trim();
  return {
    category: text('category'),
    subject: text('subject'),
    body: raw('body'),
    contactName: text('contactName'),
    contactEmail: text('contactEmail'),
    contactPhone: text('contactPhone'),
  };
}

/** What the API needs before anything else: a category of Order 16/2015 (the browser's `required` may be gone). */
export function complaintCategory(
  v: ComplaintFormValues,
): { ok: true; category: ComplaintCategory } | { ok: false; field: 'category'; message: string } {
  return isCategory(v.category)
    ? { ok: true, category: v.category }
    : { ok: false, field: 'category', message: 'Alegeți categoria reclamației.' };
}

/** The contact details given, for the API's body: an empty field is left out rather than sent empty. */
export function contactOf(v: ComplaintFormValues) {
  return {
    ...(v.contactName ? { contactName: v.contactName } : {}),
    ...(v.contactEmail ? { contactEmail: v.contactEmail } : {}),
    ...(v.contactPhone ? { contactPhone: v.contactPhone } : {}),
  };
}
