import { fail } from '@sveltejs/kit';
import { getApiMailbox, postApiMailboxCheck, putApiMailbox } from '$lib/api/generated';
import type { MailboxSettingsBody } from '$lib/api/types';
import { AREA_ROLES } from '$lib/roles';
import { apiClient, apiLoad, settle } from '$lib/server/api';
import { requireRole } from '$lib/server/guard';
import { errorMessage } from '$lib/api/error-message';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { draftFlag, draftText, reauthKeepingDraft, takeDraft } from '$lib/server/reauth-draft';

export const load = (async (event) => {
  await event.parent();
  const mailbox = await apiLoad(event, getApiMailbox({ client: apiClient(event) }));
  return { mailbox, draft: draftOf(takeDraft(event)), meta: { title: 'Administrare: căsuța de e-mail' } };
}) satisfies PageServerLoad;

/**
 * The settings as typed before the API asked for a fresh confirmation of identity, back from /account/reauth.
 * Never the password: only whether one had been typed, so the page can ask for it again.
 */
function draftOf(d: ReturnType<typeof takeDraft>) {
  if (!d || d.form !== 'save') return null;
  const v = d.values;
  return {
    values: {
      host: draftText(v.host, 253),
      port: draftText(v.port, 5),
      secure: draftFlag(v.secure),
      username: draftText(v.username, 320),
      mailbox: draftText(v.mailbox, 200),
      processedFolder: draftText(v.processedFolder, 200),
      quarantineFolder: draftText(v.quarantineFolder, 200),
      enabled: draftFlag(v.enabled),
    },
    passwordTyped: draftFlag(v.passwordTyped),
  };
}

type Field = 'host' | 'port' | 'username' | 'password' | 'mailbox' | 'processedFolder' | 'quarantineFolder';

/** The form as typed (the password never goes back to the page) and the API body it makes, or what is wrong. */
async function read(event: RequestEvent) {
  const form = await event.request.formData();
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const values = {
    host: text('host'),
    port: text('port'),
    secure: form.get('secure') === 'on',
    username: text('username'),
    mailbox: text('mailbox'),
    processedFolder: text('processedFolder'),
    quarantineFolder: text('quarantineFolder'),
    enabled: form.get('enabled') === 'on',
  };
  const password = String(form.get('password') ?? '');
  const invalid = (field: Field, message: string) => ({ values, field, message });
  if (!/^[a-z0-9.-]{1,253}$/i.test(values.host))
    return invalid('host', 'Completați numele serverului IMAP (de exemplu imap.furnizor.ro).');
  const port = Number(values.port);
  if (!/^\d{1,5}$/.test(values.port) || port < 1 || port > 65535)
    return invalid('port', 'Portul este un număr între 1 și 65535 (de obicei 993).');
  if (!values.username) return invalid('username', 'Completați utilizatorul căsuței (de obicei adresa ei).');
  for (const [field, label] of [
    ['mailbox', 'dosarul din care se preiau mesajele'],
    ['processedFolder', 'dosarul mesajelor preluate'],
    ['quarantineFolder', 'dosarul de carantină'],
  ] as const)
    if (!values[field]) return invalid(field, `Completați ${label}.`);
  const body: MailboxSettingsBody = {
    host: values.host,
    port,
    secure: values.secure,
    username: values.username,
    mailbox: values.mailbox,
    processedFolder: values.processedFolder,
    quarantineFolder: values.quarantineFolder,
    enabled: values.enabled,
    ...(password ? { password } : {}),
  };
  return { values, body };
}

export const actions = {
  check: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const r = await read(event);
    if (!('body' in r)) return fail(400, { action: 'check', ...r });
    const res = await settle(postApiMailboxCheck({ client: apiClient(event), body: r.body }));
    if (!res.ok)
      return fail(res.status, {
        action: 'check',
        values: r.values,
        field: null,
        message: errorMessage(res, 'Conexiunea nu a putut fi verificată.'),
      });
    return { action: 'check', values: r.values, check: res.data };
  },
  save: async (event) => {
    requireRole(event, AREA_ROLES.admin);
    const r = await read(event);
    if (!('body' in r)) return fail(400, { action: 'save', ...r });
    const res = await settle(putApiMailbox({ client: apiClient(event), body: r.body }));
    // The mailbox decides where complaints are read from: a fresh confirmation of identity first. What was typed
    // comes back after it, except the password (never kept in the browser or an address).
    reauthKeepingDraft(res, event, 'save', { ...r.values, passwordTyped: r.body.password !== undefined });
    if (!res.ok)
      return fail(res.status, {
        action: 'save',
        values: r.values,
        field: null,
        message: errorMessage(res, 'Setările căsuței nu au putut fi salvate.'),
      });
    return { action: 'save', saved: true };
  },
} satisfies Actions;
