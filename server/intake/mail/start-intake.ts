import { listTenants } from '../../tenants/tenants.repo.ts';
import { recordQuarantine } from './inbound.repo.ts';
import { putBlob } from './blob-store.ts';
import { getMailAccount, toMailboxConfig } from './mail-accounts.repo.ts';
import { watchMailbox, type MailboxConfig, type MailboxWatcher } from './mailbox-watcher.ts';
import {
  processInboundMail,
  type IntakeDeps,
  type IntakeTenant,
  type ProcessOutcome,
} from './process-message.ts';

export interface MailIntakeOptions {
  /** The local mail server, when we run one: a tenant without mailbox settings reads its intake address there. */
  localImap: { host: string; port: number } | null;
  /** Only these tenants (tests share one mail server). */
  tenantIds?: string[];
  pollIntervalMs?: number;
  concurrency?: number;
  /** Observe each outcome (tests, benchmark). */
  onOutcome?(tenant: IntakeTenant, outcome: ProcessOutcome): void;
}

export interface MailIntake {
  watchers: Map<string, MailboxWatcher>;
  ready: Promise<void>;
  stop(): Promise<void>;
  kill(): void;
}

/** Where a tenant's complaints arrive: its own mailbox settings, else its intake address on the local server. */
export async function mailboxOf(
  deps: IntakeDeps,
  tenant: IntakeTenant,
  localImap: MailIntakeOptions['localImap'],
): Promise<MailboxConfig | null> {
  const account = await getMailAccount(deps.db, tenant.id);
  if (account) return account.enabled ? toMailboxConfig(deps.secret, account) : null;
  if (!localImap) return null;
  return {
    host: localImap.host,
    port: localImap.port,
    secure: false,
    user: tenant.intakeEmail,
    pass: 'local',
    mailbox: 'INBOX',
    processedFolder: 'Processed',
    quarantineFolder: 'Quarantine',
  };
}

/** Starts one mailbox watcher per tenant. Every message ends in `processInboundMail`, hence in `registerComplaint`. */
export async function startMailIntake(deps: IntakeDeps, opts: MailIntakeOptions): Promise<MailIntake> {
  const tenants = (await listTenants(deps.db)).filter(
    (t) => !opts.tenantIds || opts.tenantIds.includes(t.id),
  );
  const watchers = new Map<string, MailboxWatcher>();
  for (const t of tenants) {
    const tenant: IntakeTenant = { id: t.id, code: t.code, intakeEmail: t.intakeEmail.toLowerCase() };
    const config = await mailboxOf(deps, tenant, opts.localImap);
    if (!config) {
      deps.log.warn({ tenant: t.code }, 'no mailbox configured: e-mail intake off for this tenant');
      continue;
    }
    watchers.set(
      t.id,
      watchMailbox({
        config,
        label: t.code,
        log: deps.log,
        pollIntervalMs: opts.pollIntervalMs,
        concurrency: opts.concurrency,
        async handle(mail) {
          const outcome = await processInboundMail(deps, tenant, mail);
          opts.onOutcome?.(tenant, outcome);
          return outcome.status === 'quarantine' ? 'quarantine' : 'processed';
        },
        async giveUp(mail, reason) {
          const sha = await putBlob(deps.db, tenant.id, mail.raw);
          await recordQuarantine(deps.db, {
            tenantId: tenant.id,
            rawSha256: sha,
            reason,
            folder: config.quarantineFolder,
            arrivedAt: mail.arrivedAt,
          });
          opts.onOutcome?.(tenant, { status: 'quarantine', reason });
        },
      }),
    );
  }
  return {
    watchers,
    ready: Promise.all([...watchers.values()].map((w) => w.ready)).then(() => undefined),
    async stop() {
      await Promise.all([...watchers.values()].map((w) => w.stop()));
    },
    kill() {
      for (const w of watchers.values()) w.kill();
    },
  };
}
