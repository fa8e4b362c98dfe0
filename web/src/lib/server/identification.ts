import { fail, redirect } from '@sveltejs/kit';
import {
  getApiCustomers,
  getApiIdentificationByNumber,
  getApiTasksById,
  postApiIdentificationByNumberConfirmation,
} from '$lib/api/generated';
import type { PickerData } from '$lib/components/identification/types';
import { apiClient, apiLoad, settle, type ApiEvent } from '$lib/server/api';
import { errorMessage } from '$lib/api/error-message';

/**
 * The "identify consumer" task's form on the task page, done on the server so it works without JavaScript: the
 * scored candidates and an optional customer search (`?q=`, a GET form) are read in the page's load, and the
 * officer's choice is posted to the page's `identify` action. Both call the same API the browser would.
 */

const MIN_QUERY = 2;
const MAX_QUERY = 100;

/** The candidates of the case and, when the officer searched (`?q=`), the customers found. */
export async function loadPicker(event: ApiEvent & { url: URL }, caseNumber: string): Promise<PickerData> {
  const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, MAX_QUERY);
  const searched = event.url.searchParams.has('q');
  const client = apiClient(event);
  const [ident, found] = await Promise.all([
    settle(getApiIdentificationByNumber({ client, path: { number: caseNumber } })),
    searched && q.length >= MIN_QUERY ? settle(getApiCustomers({ client, query: { q } })) : null,
  ]);
  let searchError = '';
  if (searched && q.length < MIN_QUERY) searchError = 'Scrieți cel puțin 2 caractere.';
  else if (found && !found.ok) searchError = errorMessage(found, 'Căutarea nu a reușit. Încercați din nou.');
  return {
    identification: ident.ok ? ident.data : null,
    loadError: ident.ok ? '' : errorMessage(ident, 'Propunerile nu au putut fi încărcate.'),
    search: { q, found: found?.ok ? found.data.items : null, error: searchError },
  };
}

const CHOICE = /^([0-9a-f-]{36}):([0-9a-f-]{36})?$/i;

/**
 * The `identify` action: confirms the chosen customer (and place) of the task's case, which completes the task;
 * then back to the inbox, which says who was confirmed. A refusal stays on the page with the API's message.
 */
export async function confirmIdentification(event: ApiEvent & { url: URL; params: { id: string } }) {
  const form = await event.request.formData();
  const choice = String(form.get('candidate') ?? '');
  const invalid = (status: number, message: string) => fail(status, { action: 'identify', choice, message });
  const m = CHOICE.exec(choice);
  if (!m) return invalid(400, 'Alegeți clientul (și locul de consum) înainte de confirmare.');
  const client = apiClient(event);
  const task = await apiLoad(event, getApiTasksById({ client, path: { id: event.params.id } }));
  if (task.taskDefinitionKey !== 'identify' || !task.caseNumber)
    return invalid(409, 'Sarcina de identificare nu mai este deschisă pentru dumneavoastră.');
  const r = await settle(
    postApiIdentificationByNumberConfirmation({
      client,
      path: { number: task.caseNumber },
      body: { customerId: m[1]!, placeId: m[2] ?? null },
    }),
  );
  // Recorded, the engine will be told later (applied once): not an error for the officer.
  if (!r.ok && r.status === 503 && r.data.code === 'TASK_COMPLETION_DEFERRED')
    redirect(303, '/inbox?deferred=1');
  if (!r.ok) return invalid(r.status, errorMessage(r, 'Clientul nu a putut fi confirmat.'));
  const to = new URLSearchParams({ identified: r.data.customerCode });
  if (r.data.placeCode) to.set('place', r.data.placeCode);
  redirect(303, `/inbox?${to}`);
}
