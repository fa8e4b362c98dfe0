import { fail } from '@sveltejs/kit';
import {
  deleteApiUsersByIdLoginFailures,
  getApiRoleGrants,
  getApiUsers,
  patchApiUsersById,
  postApiRoleGrantsByGrantIdApproval,
  postApiRoleGrantsByGrantIdRejection,
  postApiUsers,
  postApiUsersByIdDeactivation,
  postApiUsersByIdPasswordReset,
  postApiUsersByIdReactivation,
  postApiUsersByIdTotpReset,
} from '$lib/api/generated';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { AREA_ROLES } from '$lib/roles';
import { roleLabel } from '$lib/labels';
import { errorMessage } from '$lib/api/error-message';
import type { PermissionRole } from '$lib/api/types';
import type { StaffLinkResult, StaffUser } from '$lib/components/admin/types';
import type { Actions, PageServerLoad } from './$types';
import { draftList, draftText, reauthKeepingDraft, takeDraft } from '$lib/server/reauth-draft';

/** The supplier's staff accounts: who may log in, with which permission roles. */
export const load = (async (event) => {
  const { user } = await event.parent();
  const client = apiClient(event);
  const [staff, grants] = await Promise.all([
    apiLoad(event, getApiUsers({ client })),
    apiLoad(event, getApiRoleGrants({ client })),
  ]);
  return {
    staff: staff.items,
    grants: grants.items,
    me: user.userId,
    draft: draftOf(takeDraft(event)),
    meta: { title: 'Administrare: utilizatori' },
  };
}) satisfies PageServerLoad;

const ROLES: readonly PermissionRole[] = ['agent', 'officer', 'supervisor', 'designer', 'admin'];

/**
 * What was being done when the API asked for a fresh confirmation of identity, back from /account/reauth: the new
 * account's fields, a person's roles, or which TOTP reset / role approval to confirm again.
 */
export type UsersDraft =
  | { form: 'create'; name: string; email: string; roles: PermissionRole[] }
  | { form: 'roles'; id: string; roles: PermissionRole[] }
  | { form: 'totpReset'; id: string }
  | { form: 'approveGrant'; id: string };

function draftOf(d: ReturnType<typeof takeDraft>): UsersDraft | null {
  if (!d) return null;
  const v = d.values;
  const roles = draftList(v.roles, ROLES) as PermissionRole[];
  switch (d.form) {
    case 'create':
      return { form: 'create', name: draftText(v.name, 120), email: draftText(v.email, 254), roles };
    case 'roles':
      return { form: 'roles', id: draftText(v.id, 64), roles };
    case 'totpReset':
    case 'approveGrant':
      return { form: d.form, id: draftText(v.id, 64) };
    default:
      return null;
  }
}

/** "o sesiune", "2 sesiuni", "20 de sesiuni" (Romanian puts "de" before counts from 20 on). */
function sessions(n: number): string {
  if (n === 1) return 'o sesiune deschisă a fost închisă';
  const r = n % 100;
  return `${n}${n >= 20 && (r === 0 || r >= 20) ? ' de' : ''} sesiuni deschise au fost închise`;
}

function rolesOf(form: FormData): PermissionRole[] {
  return form
    .getAll('roles')
    .map(String)
    .filter((r): r is PermissionRole => (ROLES as readonly string[]).includes(r));
}

/** Designer and admin wait for a second admin (two-person rule): say so whenever a save left some pending. */
const pendingNote = (u: StaffUser) =>
  u.pendingRoles.length
    ? ` ${u.pendingRoles.map((r) => `Rolul „${roleLabel(r)}”`).join(' și ')} așteaptă aprobarea altui administrator al furnizorului.`
    : '';

const linkNote = (r: StaffLinkResult) =>
  r.linkSent
    ? null
    : 'E-mailul cu linkul nu a putut fi trimis. Încercați din nou mai târziu cu „Trimite un link nou”.';

export const actions = {
  create: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const form = await event.request.formData();
    const values = {
      name: String(form.get('name') ?? '').trim(),
      email: String(form.get('email') ?? '').trim(),
      roles: rolesOf(form),
    };
    const invalid = (field: string, message: string) =>
      fail(400, { action: 'create', values, field, message });
    if (values.name.length < 2) return invalid('name', 'Scrieți numele persoanei (cel puțin 2 caractere).');
    if (!/^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/.test(values.email))
      return invalid('email', 'Adresa de e-mail nu este validă.');
    if (values.roles.length === 0) return invalid('roles', 'Alegeți cel puțin un rol.');
    const r = await settle(postApiUsers({ client: apiClient(event), body: values }));
    // Roles are granted here: the API may ask who is at the keyboard first; the form comes back as typed.
    reauthKeepingDraft(r, event, 'create', values);
    if (!r.ok)
      return fail(r.status, {
        action: 'create',
        values,
        field: r.data.code === 'STAFF_EMAIL_TAKEN' ? 'email' : null,
        message: errorMessage(r, 'Contul nu a putut fi creat.'),
      });
    return {
      action: 'create',
      id: r.data.user.id,
      done:
        (r.data.linkSent
          ? `Contul lui ${r.data.user.name} a fost creat. Linkul pentru alegerea parolei a fost trimis la ${r.data.user.email} (valabil 24 de ore).`
          : `Contul lui ${r.data.user.name} a fost creat.`) + pendingNote(r.data.user),
      warning: linkNote(r.data),
    };
  },

  roles: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    const roles = rolesOf(form);
    if (roles.length === 0) return fail(400, { action: 'roles', id, message: 'Alegeți cel puțin un rol.' });
    const r = await settle(patchApiUsersById({ client: apiClient(event), path: { id }, body: { roles } }));
    reauthKeepingDraft(r, event, 'roles', { id, roles });
    if (!r.ok)
      return fail(r.status, {
        action: 'roles',
        id,
        message: errorMessage(r, 'Rolurile nu au putut fi salvate.'),
      });
    return {
      action: 'roles',
      id,
      done: `Rolurile lui ${r.data.name} au fost salvate.${pendingNote(r.data)}`,
    };
  },

  approveGrant: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const id = String((await event.request.formData()).get('grantId') ?? '');
    const r = await settle(
      postApiRoleGrantsByGrantIdApproval({ client: apiClient(event), path: { grantId: id } }),
    );
    reauthKeepingDraft(r, event, 'approveGrant', { id });
    if (!r.ok)
      return fail(r.status, {
        action: 'grant',
        id,
        message: errorMessage(r, 'Cererea nu a putut fi aprobată.'),
      });
    return {
      action: 'grant',
      id,
      done: 'Cererea a fost aprobată: rolul se aplică de la următoarea cerere a persoanei.',
    };
  },

  rejectGrant: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const id = String((await event.request.formData()).get('grantId') ?? '');
    const r = await settle(
      postApiRoleGrantsByGrantIdRejection({ client: apiClient(event), path: { grantId: id } }),
    );
    if (!r.ok)
      return fail(r.status, {
        action: 'grant',
        id,
        message: errorMessage(r, 'Cererea nu a putut fi respinsă.'),
      });
    return { action: 'grant', id, done: 'Cererea a fost închisă; rolul nu a fost acordat.' };
  },

  deactivate: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const id = String((await event.request.formData()).get('id') ?? '');
    const r = await settle(postApiUsersByIdDeactivation({ client: apiClient(event), path: { id } }));
    if (!r.ok)
      return fail(r.status, {
        action: 'deactivate',
        id,
        message: errorMessage(r, 'Contul nu a putut fi dezactivat.'),
      });
    return {
      action: 'deactivate',
      id,
      done: `Contul lui ${r.data.name} a fost dezactivat; sesiunile deschise s-au închis.`,
    };
  },

  reactivate: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const id = String((await event.request.formData()).get('id') ?? '');
    const r = await settle(postApiUsersByIdReactivation({ client: apiClient(event), path: { id } }));
    if (!r.ok)
      return fail(r.status, {
        action: 'reactivate',
        id,
        message: errorMessage(r, 'Contul nu a putut fi reactivat.'),
      });
    return { action: 'reactivate', id, done: `Contul lui ${r.data.name} este din nou activ.` };
  },

  reset: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const id = String((await event.request.formData()).get('id') ?? '');
    const r = await settle(postApiUsersByIdPasswordReset({ client: apiClient(event), path: { id } }));
    if (!r.ok)
      return fail(r.status, {
        action: 'reset',
        id,
        message: errorMessage(r, 'Linkul nu a putut fi trimis.'),
      });
    return {
      action: 'reset',
      id,
      done: r.data.linkSent
        ? `Un link nou pentru alegerea parolei a fost trimis la ${r.data.user.email}. Parola veche nu mai funcționează.`
        : `Parola lui ${r.data.user.name} a fost resetată.`,
      warning: linkNote(r.data),
    };
  },

  /** A colleague lost the phone and the recovery codes: their TOTP is cleared and their sessions end. */
  totpReset: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const id = String((await event.request.formData()).get('id') ?? '');
    const client = apiClient(event);
    const r = await settle(postApiUsersByIdTotpReset({ client, path: { id } }));
    reauthKeepingDraft(r, event, 'totpReset', { id });
    if (!r.ok)
      return fail(r.status, {
        action: 'totpReset',
        id,
        message: errorMessage(r, 'Autentificarea în doi pași nu a putut fi resetată.'),
      });
    // The answer names no one: the name comes from the list, as the API has it now.
    const list = await settle(getApiUsers({ client }));
    const name = list.ok ? list.data.items.find((u) => u.id === id)?.name : undefined;
    const ended = r.data.sessionsEnded;
    return {
      action: 'totpReset',
      id,
      done:
        `Autentificarea în doi pași a ${name ? `lui ${name}` : 'persoanei'} a fost resetată` +
        (ended > 0 ? `; ${sessions(ended)}.` : '.') +
        ' La următoarea autentificare intră cu parola și, dacă furnizorul sau rolul îi cere autentificarea în doi pași, configurează din nou aplicația.',
    };
  },

  unlock: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const id = String((await event.request.formData()).get('id') ?? '');
    const r = await settle(deleteApiUsersByIdLoginFailures({ client: apiClient(event), path: { id } }));
    if (!r.ok)
      return fail(r.status, {
        action: 'unlock',
        id,
        message: errorMessage(r, 'Contul nu a putut fi deblocat.'),
      });
    return {
      action: 'unlock',
      id,
      done: `${r.data.user.name} se poate autentifica din nou (încercările greșite au fost șterse).`,
    };
  },
} satisfies Actions;
