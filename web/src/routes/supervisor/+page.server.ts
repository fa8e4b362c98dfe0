import { fail } from '@sveltejs/kit';
import {
  getApiSupervisionCases,
  getApiSupervisionWorkload,
  putApiSupervisionTasksByTaskIdAssignee,
} from '$lib/api/generated';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { errorMessage } from '$lib/api/error-message';
import type { Risk } from '$lib/components/supervisor/types';
import type { Actions, PageServerLoad } from './$types';

const RISKS: Risk[] = ['late', 'at_risk', 'on_time'];

/** Every open case, late and at risk first, with its degree of execution and time left; tasks can be reassigned. */
export const load = (async (event) => {
  await event.parent();
  const riskParam = event.url.searchParams.get('risk') ?? '';
  const risk = (RISKS as string[]).includes(riskParam) ? (riskParam as Risk) : null;
  const page = Math.max(1, Number.parseInt(event.url.searchParams.get('page') ?? '1', 10) || 1);
  const client = apiClient(event);
  const query = { page, pageSize: 25, ...(risk ? { risk } : {}) };
  const [list, workload] = await Promise.all([
    apiLoad(event, getApiSupervisionCases({ client, query })),
    apiLoad(event, getApiSupervisionWorkload({ client })),
  ]);
  return { risk, list, officers: workload.officers, meta: { title: 'Supervizare: cazuri deschise' } };
}) satisfies PageServerLoad;

export const actions = {
  reassign: async (event) => {
    requireRole(event, AREA_ROLES.supervisor);
    const form = await event.request.formData();
    const taskId = String(form.get('taskId') ?? '');
    const userId = String(form.get('userId') ?? '');
    if (!userId) return fail(400, { taskId, message: 'Alegeți cui îi dați sarcina.' });
    const r = await settle(
      putApiSupervisionTasksByTaskIdAssignee({
        client: apiClient(event),
        path: { taskId },
        body: { userId },
      }),
    );
    if (!r.ok)
      return fail(r.status, { taskId, message: errorMessage(r, 'Sarcina nu a putut fi repartizată.') });
    return { taskId, done: `Sarcina „${r.data.name}” a fost repartizată lui ${r.data.assignee.name}.` };
  },
} satisfies Actions;
