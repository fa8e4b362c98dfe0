/**
 * The catch-all mailbox: one mailbox for every tenant without mailbox settings of its own (`INTAKE_CATCH_ALL_URL`,
 * read by mailboxFromUrl), each message routed to the tenant whose intake address is among its recipients
 * (routeByRecipient), and its watcher (watchCatchAll, started by startMailIntake in start-intake.ts). A message
 * for no known tenant stays, untouched, in the mailbox's Quarantine folder.
 */
import { tenantsByIntakeAddresses } from '../../tenants/index.ts';
import { withAllTenants, withTenant } from '../../db/tenant-scope.ts';
import { quarantineGivenUp } from '../inbound-messages.ts';
import { watchMailbox, type MailboxConfig, type MailboxWatcher } from './mailbox-watcher.ts';
import {
  processInboundMail,
  type IntakeDeps,
  type IntakeTenant,
  type ProcessOutcome,
} from './process-message.ts';
import { recipientsOf } from './recipients.ts';

/** What the catch-all watcher takes of the intake's options (MailIntakeOptions, start-intake.ts). */
export interface CatchAllOptions {
  /** Only these tenants (tests share one mail server). */
  tenantIds?: string[];
  pollIntervalMs?: number;
  concurrency?: number;
  /** Observe each outcome (tests, benchmark). */
  onOutcome?(tenant: IntakeTenant | null, outcome: ProcessOutcome): void;
}

/** The tenant a catch-all message is for: the first recipient (in routing order) that is a tenant's intake address. */
export async function routeByRecipient(
  deps: Pick<IntakeDeps, 'db'>,
  raw: Buffer,
  tenantIds?: string[],
): Promise<IntakeTenant | null> {
  const recipients = recipientsOf(raw).slice(0, 1000);
  if (!recipients.length) return null;
  const rows = await withAllTenants('catch-all mailbox: finds the tenant of a recipient', () =>
    tenantsByIntakeAddresses(deps.db, recipients),
  );
  const allowed = rows.filter((r) => !tenantIds || tenantIds.includes(r.id));
  for (const address of recipients) {
    const t = allowed.find((r) => r.intakeEmail.toLowerCase() === address);
    if (t) return { id: t.id, code: t.code, intakeEmail: address, operatorEmail: t.operatorEmail };
  }
  return null;
}

/** Watches the catch-all mailbox: each message is read and registered in the scope of the tenant it is for. */
export function watchCatchAll(
  deps: IntakeDeps,
  opts: CatchAllOptions,
  config: MailboxConfig,
): MailboxWatcher {
  return watchMailbox({
    config,
    label: 'catch-all',
    log: deps.log,
    pollIntervalMs: opts.pollIntervalMs,
    concurrency: opts.concurrency,
    async handle(mail) {
      const tenant = await routeByRecipient(deps, mail.raw, opts.tenantIds);
      if (!tenant) {
        // No tenant to show it to: it stays, untouched, in the catch-all mailbox's Quarantine folder.
        deps.log.warn({ mailbox: 'catch-all' }, 'e-mail for no known tenant quarantined');
        opts.onOutcome?.(null, { status: 'quarantine', reason: 'no tenant for its recipients' });
        return 'quarantine';
      }
      const outcome = await withTenant(tenant.id, () => processInboundMail(deps, tenant, mail));
      opts.onOutcome?.(tenant, outcome);
      return outcome.status === 'quarantine' ? 'quarantine' : 'processed';
    },
    async giveUp(mail, reason) {
      const tenant = await routeByRecipient(deps, mail.raw, opts.tenantIds);
      if (tenant)
        await withTenant(tenant.id, () =>
          quarantineGivenUp(deps.db, tenant.id, mail, reason, config.quarantineFolder),
        );
      opts.onOutcome?.(tenant, { status: 'quarantine', reason });
    },
  });
}

/** `imap://user:password@host:port/MAILBOX` (imaps:// for TLS) as a mailbox configuration. */
export function mailboxFromUrl(url: string): MailboxConfig {
  const u = new URL(url);
  if (u.protocol !== 'imap:' && u.protocol !== 'imaps:')
    throw new Error('catch-all mailbox URL must be imap(s)://');
  const secure = u.protocol === 'imaps:';
  return {
    host: u.hostname,
    port: Number(u.port) || (secure ? 993 : 143),
    secure,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    mailbox: decodeURIComponent(u.pathname.slice(1)) || 'INBOX',
    processedFolder: 'Processed',
    quarantineFolder: 'Quarantine',
  };
}
