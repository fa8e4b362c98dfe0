import { fail, redirect } from '@sveltejs/kit';
import { getApiUsers, getApiUsersSecurityPolicy, putApiUsersSecurityPolicy } from '$lib/api/generated';
import { AREA_ROLES } from '$lib/roles';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { draftFlag, draftText, reauthKeepingDraft, takeDraft } from '$lib/server/reauth-draft';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad } from './$types';

/**
 * The supplier's security policy for its staff: TOTP for everyone (admins, supervisors and designers must use it
 * anyway where the installation enforces it) and the absolute session lifetime. Both apply from the next request.
 */
export const load = (async (event) => {
  const { user } = await event.parent();
  const client = apiClient(event);
  const [policy, staff] = await Promise.all([
    apiLoad(event, getApiUsersSecurityPolicy({ client })),
    apiLoad(event, getApiUsers({ client })),
  ]);
  const active = staff.items.filter((u) => u.active);
  const d = takeDraft(event);
  return {
    policy,
    enrolled: user.secondFactor.enrolled,
    // Who would be sent to enrolment at their next request if TOTP became required for everyone.
    staff: {
      active: active.length,
      withTotp: active.filter((u) => u.totpEnabled).length,
      withoutTotp: active.filter((u) => !u.totpEnabled).map((u) => u.name),
    },
    draft:
      d && d.form === 'save'
        ? {
            totpForAllStaff: draftFlag(d.values.totpForAllStaff),
            sessionMaxHours: draftText(d.values.sessionMaxHours, 6),
          }
        : null,
    meta: { title: 'Administrare: securitate' },
  };
}) satisfies PageServerLoad;

export const actions = {
  save: async (event) => {
    const user = requireRole(event, AREA_ROLES.admin);
    const form = await event.request.formData();
    const values = {
      totpForAllStaff: form.get('totpForAllStaff') === 'on',
      sessionMaxHours: String(form.get('sessionMaxHours') ?? '').trim(),
    };
    const invalid = (message: string) => fail(400, { values, field: 'sessionMaxHours', message });
    if (values.sessionMaxHours === '')
      return invalid('Completați durata maximă a unei sesiuni: un număr întreg de ore, între 1 și 24.');
    if (!/^\d{1,6}$/.test(values.sessionMaxHours))
      return invalid('Durata maximă a unei sesiuni se scrie în ore întregi, fără zecimale (de exemplu 12).');
    const hours = Number(values.sessionMaxHours);
    if (hours < 1 || hours > 24)
      return invalid('Durata maximă a unei sesiuni trebuie să fie între 1 și 24 de ore.');
    const body = { totpForAllStaff: values.totpForAllStaff, sessionMaxHours: hours };
    const r = await settle(putApiUsersSecurityPolicy({ client: apiClient(event), body }));
    // Who must use TOTP and how long sessions live: the admin proves again who they are; the choice comes back.
    reauthKeepingDraft(r, event, 'save', values);
    if (!r.ok)
      return fail(r.status, {
        values,
        field: null,
        message: errorMessage(r, 'Politica de securitate nu a putut fi salvată.'),
      });
    // The rule holds from the next request, the admin's own too: without TOTP yet, straight to enrolment
    // (which then comes back here) rather than a page the next request would no longer show.
    if (r.data.totpForAllStaff && !user.secondFactor.enrolled)
      redirect(303, `/account/two-factor?next=${encodeURIComponent('/admin/security')}`);
    return { saved: r.data };
  },
} satisfies Actions;
