import { fail } from '@sveltejs/kit';
import {
  deleteApiNonWorkingDaysByDay,
  getApiNonWorkingDays,
  postApiNonWorkingDays,
} from '$lib/api/generated';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { businessDate } from '$codes/business-date';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
  await event.parent();
  const current = Number(businessDate().slice(0, 4));
  const y = Number.parseInt(event.url.searchParams.get('year') ?? '', 10);
  const year = y >= 2000 && y <= 2100 ? y : current;
  const days = await apiLoad(event, getApiNonWorkingDays({ client: apiClient(event), query: { year } }));
  return { year, current, days: days.items, meta: { title: 'Administrare: zile nelucrătoare' } };
}) satisfies PageServerLoad;

export const actions = {
  add: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const form = await event.request.formData();
    const values = { day: String(form.get('day') ?? ''), reason: String(form.get('reason') ?? '').trim() };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.day))
      return fail(400, { action: 'add', values, field: 'day', message: 'Alegeți ziua.' });
    if (values.reason.length < 3)
      return fail(400, {
        action: 'add',
        values,
        field: 'reason',
        message: 'Scrieți motivul (cel puțin 3 caractere).',
      });
    const r = await settle(postApiNonWorkingDays({ client: apiClient(event), body: values }));
    if (!r.ok)
      return fail(r.status, {
        action: 'add',
        values,
        field: 'day',
        message: errorMessage(r, 'Ziua nu a putut fi adăugată.'),
      });
    return { action: 'add', done: `Ziua ${r.data.day.split('-').reverse().join('.')} este nelucrătoare.` };
  },
  remove: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const form = await event.request.formData();
    const day = String(form.get('day') ?? '');
    const r = await settle(deleteApiNonWorkingDaysByDay({ client: apiClient(event), path: { day } }));
    if (!r.ok)
      return fail(r.status, { action: 'remove', message: errorMessage(r, 'Ziua nu a putut fi ștearsă.') });
    return { action: 'remove', done: `Ziua ${day.split('-').reverse().join('.')} a fost ștearsă din listă.` };
  },
} satisfies Actions;
