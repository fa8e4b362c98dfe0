import { fail } from '@sveltejs/kit';
import {
  getApiTenantSettings,
  patchApiTenantSettings,
  type PatchApiTenantSettingsData,
} from '$lib/api/generated';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
  await event.parent();
  const settings = await apiLoad(event, getApiTenantSettings({ client: apiClient(event) }));
  return { settings, meta: { title: 'Administrare: setări' } };
}) satisfies PageServerLoad;

function int(v: FormDataEntryValue | null): number | null {
  const s = String(v ?? '').trim();
  return /^\d{1,6}$/.test(s) ? Number(s) : null;
}

export const actions = {
  save: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const form = await event.request.formData();
    const values = {
      letterhead: String(form.get('letterhead') ?? '').trim(),
      operatorEmail: String(form.get('operatorEmail') ?? '').trim(),
      compensationBaseLei: String(form.get('compensationBaseLei') ?? ''),
      compensationPerDayLei: String(form.get('compensationPerDayLei') ?? ''),
      warnWorkingDaysBefore: String(form.get('warnWorkingDaysBefore') ?? ''),
      countingReading: String(form.get('countingReading') ?? ''),
      compensationLegalBasis: String(form.get('compensationLegalBasis') ?? '').trim(),
      completionWaitWorkingDays: String(form.get('completionWaitWorkingDays') ?? ''),
      completionPausesDeadline: form.has('completionPausesDeadline') ? 'on' : '',
      satisfactionSurvey: form.has('satisfactionSurvey') ? 'on' : '',
      postalDeliveryWorkingDays: String(form.get('postalDeliveryWorkingDays') ?? ''),
    };
    const invalid = (field: string, message: string) => fail(400, { values, field, message });
    if (values.letterhead.length > 1000)
      return invalid('letterhead', 'Antetul poate avea cel mult 1000 de caractere.');
    if (values.operatorEmail && !/^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(values.operatorEmail))
      return invalid('operatorEmail', 'Adresa de e-mail a operatorului de distribuție nu este validă.');
    const base = int(values.compensationBaseLei);
    const perDay = int(values.compensationPerDayLei);
    const warn = int(values.warnWorkingDaysBefore);
    if (base === null || base > 100000)
      return invalid(
        'compensationBaseLei',
        'Suma de bază a compensației trebuie să fie un număr întreg de lei (0–100000).',
      );
    if (perDay === null || perDay > 100000)
      return invalid(
        'compensationPerDayLei',
        'Suma pe zi de întârziere trebuie să fie un număr întreg de lei (0–100000).',
      );
    if (warn === null || warn > 30)
      return invalid(
        'warnWorkingDaysBefore',
        'Avertizarea se dă cu 0–30 de zile lucrătoare înainte de termen.',
      );
    if (values.countingReading !== 'civil_code' && values.countingReading !== 'free_days')
      return invalid('countingReading', 'Alegeți modul de calcul al termenelor.');
    if (values.compensationLegalBasis.length < 5 || values.compensationLegalBasis.length > 500)
      return invalid('compensationLegalBasis', 'Scrieți temeiul legal al compensației (5–500 de caractere).');
    const completionWait = int(values.completionWaitWorkingDays);
    if (completionWait === null || completionWait < 1 || completionWait > 60)
      return invalid(
        'completionWaitWorkingDays',
        'Termenul de completare trebuie să fie între 1 și 60 de zile lucrătoare.',
      );
    const postalDays = int(values.postalDeliveryWorkingDays);
    if (postalDays === null || postalDays < 1 || postalDays > 15)
      return invalid(
        'postalDeliveryWorkingDays',
        'Timpul de livrare a unei scrisori trebuie să fie între 1 și 15 zile lucrătoare.',
      );
    const body: PatchApiTenantSettingsData['body'] = {
      letterhead: values.letterhead,
      operatorEmail: values.operatorEmail || null,
      compensationBaseLei: base,
      compensationPerDayLei: perDay,
      warnWorkingDaysBefore: warn,
      countingReading: values.countingReading,
      compensationLegalBasis: values.compensationLegalBasis,
      completionWaitWorkingDays: completionWait,
      completionPausesDeadline: values.completionPausesDeadline === 'on',
      satisfactionSurvey: values.satisfactionSurvey === 'on',
      postalDeliveryWorkingDays: postalDays,
    };
    const r = await settle(patchApiTenantSettings({ client: apiClient(event), body }));
    if (!r.ok)
      return fail(r.status, {
        values,
        field: null,
        message: errorMessage(r, 'Setările nu au putut fi salvate.'),
      });
    return { saved: true };
  },
} satisfies Actions;
