import { fail } from '@sveltejs/kit';
import { getApiPostalDispatches, patchApiPostalDispatchesById } from '$lib/api/generated';
import type { PostalDispatchUpdate } from '$lib/api/types';
import { businessDate } from '$codes/business-date';
import { AREA_ROLES } from '$lib/roles';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const VIEWS = ['pending', 'all'] as const;
type View = (typeof VIEWS)[number];

/** Letters queued for consumers without e-mail (or whose e-mail bounced): to post first, by default. */
export const load = (async (event) => {
  await event.parent();
  const v = event.url.searchParams.get('view');
  const view: View = (VIEWS as readonly string[]).includes(v ?? '') ? (v as View) : 'pending';
  const query = view === 'pending' ? { pending: true } : {};
  const { items } = await apiLoad(event, getApiPostalDispatches({ client: apiClient(event), query }));
  return { view, items, today: businessDate(), meta: { title: 'Corespondență poștală' } };
}) satisfies PageServerLoad;

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

/**
 * A calendar day typed in the form as the instant the API stores: midday in Bucharest, so the day reads the same
 * in every view. Refuses what is not a day, or a day still to come.
 */
function dayOf(raw: string, today: string): { iso: string } | { error: string } {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`)))
    return { error: 'Completați data (zi, lună, an).' };
  if (raw > today) return { error: 'Data nu poate fi în viitor.' };
  return { iso: `${raw}T10:00:00.000Z` };
}

type Step = 'dispatched' | 'delivered';

async function record(event: RequestEvent, step: Step) {
  requireRole(event, AREA_ROLES.inbox);
  const form = await event.request.formData();
  const id = Number(text(form, 'id'));
  const values = { date: text(form, 'date'), reference: text(form, 'reference') };
  const failWith = (status: number, message: string) => fail(status, { id, step, values, message });
  if (!Number.isInteger(id) || id < 1) return failWith(400, 'Scrisoarea nu a fost găsită.');
  const day = dayOf(values.date, businessDate());
  if ('error' in day) return failWith(400, day.error);
  if (values.reference.length < 3)
    return failWith(
      400,
      step === 'dispatched'
        ? 'Completați numărul trimiterii recomandate sau referința curierului (cel puțin 3 caractere).'
        : 'Descrieți dovada primirii (cel puțin 3 caractere), de exemplu confirmarea de primire semnată.',
    );
  const body: PostalDispatchUpdate =
    step === 'dispatched'
      ? { dispatchedAt: day.iso, postalReference: values.reference }
      : { deliveredAt: day.iso, proofOfDelivery: values.reference };
  const r = await settle(patchApiPostalDispatchesById({ client: apiClient(event), path: { id }, body }));
  if (!r.ok) return failWith(r.status, errorMessage(r, 'Nu s-a putut salva. Încercați din nou.'));
  return {
    id,
    step,
    done: step === 'dispatched' ? 'Expedierea a fost înregistrată.' : 'Primirea a fost înregistrată.',
  };
}

export const actions = {
  dispatched: (event) => record(event, 'dispatched'),
  delivered: (event) => record(event, 'delivered'),
} satisfies Actions;
