import { fail } from '@sveltejs/kit';
import { getApiDeadlineRules, getApiTenantSettings, putApiDeadlineRulesByCategory } from '$lib/api/generated';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { isCategory } from '$lib/categories';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
  await event.parent();
  const client = apiClient(event);
  const [rules, settings] = await Promise.all([
    apiLoad(event, getApiDeadlineRules({ client })),
    apiLoad(event, getApiTenantSettings({ client })),
  ]);
  return {
    rules: rules.items,
    reading: settings.countingReading,
    meta: { title: 'Administrare: termene legale' },
  };
}) satisfies PageServerLoad;

export const actions = {
  save: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const form = await event.request.formData();
    const category = String(form.get('category') ?? '');
    const values = {
      days: String(form.get('days') ?? ''),
      unit: String(form.get('unit') ?? ''),
      extensionDays: String(form.get('extensionDays') ?? ''),
      legalBasis: String(form.get('legalBasis') ?? '').trim(),
    };
    const invalid = (field: string, message: string) => fail(400, { category, values, field, message });
    if (!/^\d{1,3}$/.test(values.days) || Number(values.days) < 1 || Number(values.days) > 365)
      return invalid('days', 'Termenul trebuie să fie între 1 și 365 de zile.');
    if (values.unit !== 'working' && values.unit !== 'calendar')
      return invalid('unit', 'Alegeți zile lucrătoare sau calendaristice.');
    if (!/^\d{1,2}$/.test(values.extensionDays) || Number(values.extensionDays) > 90)
      return invalid('extensionDays', 'Prelungirea poate fi de 0–90 de zile.');
    if (values.legalBasis.length < 3) return invalid('legalBasis', 'Indicați temeiul legal al termenului.');
    // The category comes from a hidden field: only a tampered form names one that does not exist.
    if (!isCategory(category))
      return fail(404, { category, values, field: null, message: 'Categoria nu există.' });
    const r = await settle(
      putApiDeadlineRulesByCategory({
        client: apiClient(event),
        path: { category },
        body: {
          days: Number(values.days),
          unit: values.unit,
          extensionDays: Number(values.extensionDays),
          legalBasis: values.legalBasis,
        },
      }),
    );
    if (!r.ok)
      return fail(r.status, {
        category,
        values,
        field: null,
        message: errorMessage(r, 'Regula nu a putut fi salvată.'),
      });
    return { category, saved: `Termenul pentru „${r.data.label}” a fost salvat.` };
  },
} satisfies Actions;
