import type { Db } from '../db/client.ts';
import { appendAudit } from '../audit/index.ts';
import { requireRecentAuth, type Principal } from '../auth/index.ts';
import { DomainError } from '../errors.ts';
import { checkOutbound, type OutboundPolicy } from '../net/outbound-fence.ts';
import { getTenant } from '../tenants/index.ts';
import { checkMailbox } from './mail/mailbox-check.ts';
import { getMailAccount, saveMailAccount, toMailboxConfig } from './mail/mail-accounts.repo.ts';
import type { MailAccount } from '../db/schema/index.ts';
import type { MailboxConfig } from './mail/mailbox-watcher.ts';

/**
 * The supplier's own complaint mailbox (IMAP): where the e-mail intake reads, the folders it moves messages to,
 * on or off. The password is write-only (stored AES-256-GCM encrypted, never returned or logged). The running
 * intake picks a change up within a minute (mail/start-intake.ts).
 */
export interface MailboxInput {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  /** Absent: keep the stored one (only for the same server, see configOf). */
  password?: string | undefined;
  mailbox: string;
  processedFolder: string;
  quarantineFolder: string;
  enabled: boolean;
}

export interface MailboxSettings {
  intakeEmail: string;
  configured: boolean;
  host: string | null;
  port: number | null;
  secure: boolean;
  username: string | null;
  passwordSet: boolean;
  mailbox: string;
  processedFolder: string;
  quarantineFolder: string;
  enabled: boolean;
  updatedAt: string | null;
}

export interface MailboxDeps {
  db: Db;
  secret: string;
  outbound: OutboundPolicy;
}

/** The tenant's settings as an admin sees them (never the password). */
export async function mailboxSettings(deps: MailboxDeps, tenantId: string): Promise<MailboxSettings> {
  const [tenant, a] = await Promise.all([getTenant(deps.db, tenantId), getMailAccount(deps.db, tenantId)]);
  if (!tenant) throw new DomainError('NOT_FOUND');
  return {
    intakeEmail: tenant.intakeEmail,
    configured: a !== null,
    host: a?.host ?? null,
    port: a?.port ?? null,
    secure: a?.secure ?? true,
    username: a?.username ?? null,
    passwordSet: a !== null,
    mailbox: a?.mailbox ?? 'INBOX',
    processedFolder: a?.processedFolder ?? 'Processed',
    quarantineFolder: a?.quarantineFolder ?? 'Quarantine',
    enabled: a?.enabled ?? true,
    updatedAt: a?.updatedAt.toISOString() ?? null,
  };
}

/**
 * The settings as the intake would use them; without a new password, the stored one, but only for the server it
 * was given for: a changed host, port or TLS setting needs the password typed again, so the stored password is
 * never sent to a server (or over a connection) its owner did not give it to.
 */
async function configOf(deps: MailboxDeps, tenantId: string, b: MailboxInput): Promise<MailboxConfig> {
  let password = b.password;
  if (!password) {
    const stored = await getMailAccount(deps.db, tenantId);
    if (!stored) throw new DomainError('MAILBOX_PASSWORD_REQUIRED');
    const sameServer =
      stored.host.trim().toLowerCase() === b.host.trim().toLowerCase() &&
      stored.port === b.port &&
      // Turning TLS off needs the password again: the stored one must never go out unencrypted to a server
      // that only an admin's earlier choice of TLS was trusted with.
      (!stored.secure || b.secure);
    if (!sameServer) throw new DomainError('MAILBOX_PASSWORD_REQUIRED_NEW_SERVER');
    password = toMailboxConfig(deps.secret, stored).pass;
  }
  return {
    host: b.host.trim(),
    port: b.port,
    secure: b.secure,
    user: b.username.trim(),
    pass: password,
    mailbox: b.mailbox.trim(),
    processedFolder: b.processedFolder.trim(),
    quarantineFolder: b.quarantineFolder.trim(),
  };
}

/** Saves the settings (audited, by an admin who re-authenticated recently) and returns them as now stored. */
export async function saveMailboxSettings(
  deps: MailboxDeps,
  p: Principal,
  input: MailboxInput,
): Promise<MailboxSettings> {
  // Where complaints are read from (and a stored password sent to): the admin proves again who they are.
  requireRecentAuth(p);
  const cfg = await configOf(deps, p.tenantId, input);
  // An internal address or one of the installation's ports is refused now, not only when the intake connects;
  // a name that does not resolve at this moment may still be saved (the check says why it fails).
  await checkOutbound(deps.outbound, cfg.host, cfg.port).catch((err: unknown) => {
    if (err instanceof DomainError && err.code === 'OUTBOUND_REFUSED') throw err;
  });
  await deps.db.transaction(async (tx) => {
    await saveMailAccount(tx, deps.secret, p.tenantId, {
      host: cfg.host,
      port: cfg.port,
      secure: cfg.secure,
      username: cfg.user,
      password: cfg.pass,
      mailbox: cfg.mailbox,
      processedFolder: cfg.processedFolder,
      quarantineFolder: cfg.quarantineFolder,
      enabled: input.enabled,
    });
    await appendAudit(tx, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'tenant.mailbox_changed',
      entityType: 'tenant',
      entityId: p.tenantId,
      details: {
        host: cfg.host,
        port: cfg.port,
        enabled: input.enabled,
        passwordChanged: input.password !== undefined,
      },
    });
  });
  return mailboxSettings(deps, p.tenantId);
}

/** Connects once with these settings (or the stored password) and reports what was found. */
export async function checkMailboxSettings(deps: MailboxDeps, tenantId: string, input: MailboxInput) {
  return checkMailbox(await configOf(deps, tenantId, input), deps.outbound);
}

/** The tenant's stored mailbox account (the intake watcher reads it at start and on every reload), or null. */
export function storedMailAccount(db: Db, tenantId: string): Promise<MailAccount | null> {
  return getMailAccount(db, tenantId);
}

/** The connection settings of a stored account, its password decrypted for the watcher only. */
export function mailboxConfigOf(secret: string, account: MailAccount): MailboxConfig {
  return toMailboxConfig(secret, account);
}
