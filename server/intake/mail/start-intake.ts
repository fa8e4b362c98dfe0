/**
 * The mail intake (startMailIntake below): one mailbox watcher per tenant, or the catch-all mailbox (catch-all.ts),
 * each started once this process holds the mailbox's lease, brought in line with the tenants' mailbox settings as
 * they change, and the retry of correlations the engine could not take.
 */
import type { MailAccount } from '../../db/schema/index.ts';
import { loadConfig } from '../../config.ts';
import { installationOutboundPolicy, type OutboundPolicy } from '../../net/outbound-fence.ts';
import { runPeriodically } from '../../periodic.ts';
import { listTenants } from '../../tenants/index.ts';
import { startCorrelationRetry, type CorrelationRetry } from './correlation.ts';
import { quarantineGivenUp } from '../inbound-messages.ts';
import { mailboxConfigOf, storedMailAccount } from '../mailbox-settings.service.ts';
import { watchCatchAll } from './catch-all.ts';
import { watchMailbox, type MailboxConfig, type MailboxWatcher } from './mailbox-watcher.ts';
import type { MailboxLeases } from './mailbox-lease.ts';
import {
  processInboundMail,
  type IntakeDeps,
  type IntakeTenant,
  type ProcessOutcome,
} from './process-message.ts';
import { withAllTenants, withTenant } from '../../db/tenant-scope.ts';

/** The catch-all mailbox's address as a mailbox configuration: the composition reads it with the intake. */
export { mailboxFromUrl } from './catch-all.ts';

export interface MailIntakeOptions {
  /** The local mail server, when we run one: a tenant without mailbox settings reads its intake address there. */
  localImap: { host: string; port: number } | null;
  /** Only these tenants (tests share one mail server). */
  tenantIds?: string[];
  pollIntervalMs?: number;
  concurrency?: number;
  /**
   * One catch-all mailbox for every tenant without its own mailbox settings: each message goes to the tenant whose
   * intake address is among its recipients (Delivered-To, X-Original-To, To, Cc); one for no known tenant stays in
   * that mailbox's Quarantine folder.
   */
  catchAll?: MailboxConfig | null;
  /**
   * The outbound fence for the mailboxes tenants configured (server/net/outbound-fence.ts). The installation's own
   * connections (the local mail server, the catch-all mailbox) are not fenced; a tenant's settings pointing at the
   * local server are, like any other internal address. Unset: the installation's policy read from the environment
   * (OUTBOUND_ALLOW_HOSTS, its ports).
   */
  fence?: OutboundPolicy;
  /** How often the tenants' mailbox settings are read again (default 30 s); 0 turns the reload off. */
  reloadIntervalMs?: number;
  /** How often failed correlations (engine down) are retried; 0 turns the retry loop off. */
  correlationRetryMs?: number;
  /** Observe each outcome (tests, benchmark). */
  onOutcome?(tenant: IntakeTenant | null, outcome: ProcessOutcome): void;
  /**
   * When several intake processes run: a mailbox is watched only while this process holds its lease
   * (server/intake/mail/mailbox-lease.ts). Unset: every mailbox is watched (one intake).
   */
  leases?: MailboxLeases;
  /** How often the leases are checked and the free mailboxes tried again (default 3 s). */
  leaseCheckMs?: number;
}

export interface MailIntake {
  /** Per tenant id; the catch-all mailbox under `*`. */
  watchers: Map<string, MailboxWatcher>;
  ready: Promise<void>;
  stop(): Promise<void>;
  kill(): void;
}

/**
 * Where a tenant's complaints arrive: its own mailbox settings (`account`, null when it has none), else its
 * intake address on the local server; null when the intake is off for it.
 */
export function mailboxOf(
  secret: string,
  tenant: IntakeTenant,
  account: MailAccount | null,
  localImap: MailIntakeOptions['localImap'],
): MailboxConfig | null {
  if (account) return account.enabled ? mailboxConfigOf(secret, account) : null;
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

/** The installation's policy from its environment (the intake may run in a thread or process of its own). */
function defaultFence(): OutboundPolicy {
  try {
    return installationOutboundPolicy(loadConfig());
  } catch {
    return { allow: [], ownPorts: [] };
  }
}

/**
 * Starts one mailbox watcher per tenant. Every message ends in `processInboundMail`, hence in `registerComplaint`.
 * Every `reloadIntervalMs` the tenants' mailbox settings are read again: a tenant whose settings changed (an admin
 * saved them, or turned the intake off) gets its watcher restarted on the new mailbox, a new tenant gets one.
 */
export async function startMailIntake(deps: IntakeDeps, opts: MailIntakeOptions): Promise<MailIntake> {
  const watchers = new Map<string, MailboxWatcher>();
  // A tenant's own settings never reach the installation's local mail server unless the operator allowed it (the
  // fence given, or OUTBOUND_ALLOW_HOSTS): it holds every tenant's mail and takes any password.
  const fence: OutboundPolicy = opts.fence ?? defaultFence();
  /** Per tenant, the settings its watcher runs on: 'local', 'catch-all', 'off' or the account's save time. */
  const running = new Map<string, string>();
  /** Per watcher (tenant id, or `*`), the mailbox whose lease it runs under. */
  const leased = new Map<string, MailboxConfig>();
  const leases = opts.leases;

  async function settingsOf(tenant: IntakeTenant) {
    const account = await withTenant(tenant.id, () => storedMailAccount(deps.db, tenant.id));
    // With a catch-all mailbox, only tenants with their own mailbox settings get a watcher of their own.
    if (opts.catchAll && !account) return { key: 'catch-all', config: null };
    const config = mailboxOf(deps.secret, tenant, account, opts.localImap);
    return { key: account ? String(account.updatedAt.getTime()) : config ? 'local' : 'off', config };
  }

  function watch(tenant: IntakeTenant, config: MailboxConfig, ownSettings: boolean): MailboxWatcher {
    return watchMailbox({
      config,
      // The tenant's own settings go through the fence; the installation's local mail server does not.
      ...(ownSettings ? { fence } : {}),
      label: tenant.code,
      log: deps.log,
      pollIntervalMs: opts.pollIntervalMs,
      concurrency: opts.concurrency,
      // A mailbox's messages are its tenant's: they are read and registered seeing only its rows.
      async handle(mail) {
        const outcome = await withTenant(tenant.id, () => processInboundMail(deps, tenant, mail));
        opts.onOutcome?.(tenant, outcome);
        return outcome.status === 'quarantine' ? 'quarantine' : 'processed';
      },
      async giveUp(mail, reason) {
        await withTenant(tenant.id, () =>
          quarantineGivenUp(deps.db, tenant.id, mail, reason, config.quarantineFolder),
        );
        opts.onOutcome?.(tenant, { status: 'quarantine', reason });
      },
    });
  }

  /** Stops a watcher and gives its mailbox's lease back. */
  async function unwatch(id: string) {
    const old = watchers.get(id);
    watchers.delete(id);
    await old?.stop();
    const mailbox = leased.get(id);
    leased.delete(id);
    if (mailbox) await leases?.release(mailbox);
  }

  /** Starts a watcher once this process holds its mailbox's lease; false when another intake holds it. */
  async function startWatching(id: string, config: MailboxConfig, start: () => MailboxWatcher) {
    if (leases && !(await leases.take(config))) return false;
    if (leases) leased.set(id, config);
    watchers.set(id, start());
    return true;
  }

  /** Brings every tenant's watcher in line with its settings; the first call starts them all. */
  async function reconcile(first: boolean) {
    const tenants = (
      await withAllTenants('mail intake: lists the tenants', () => listTenants(deps.db))
    ).filter((t) => !opts.tenantIds || opts.tenantIds.includes(t.id));
    for (const t of tenants) {
      const tenant: IntakeTenant = {
        id: t.id,
        code: t.code,
        intakeEmail: t.intakeEmail.toLowerCase(),
        operatorEmail: t.operatorEmail,
      };
      const { key, config } = await settingsOf(tenant);
      if (running.get(t.id) === key) continue;
      if (watchers.has(t.id)) await unwatch(t.id);
      running.set(t.id, key);
      if (!config) {
        if (key === 'off')
          deps.log.warn({ tenant: t.code }, 'no mailbox configured: e-mail intake off for this tenant');
        continue;
      }
      // Another intake reads it: tried again at the next round, in case that one stops.
      if (!(await startWatching(t.id, config, () => watch(tenant, config, key !== 'local')))) {
        running.delete(t.id);
        continue;
      }
      if (!first) deps.log.info({ tenant: t.code }, 'mailbox settings changed: intake restarted on them');
    }
    if (opts.catchAll && !watchers.has('*')) {
      const catchAll = opts.catchAll;
      await startWatching('*', catchAll, () => watchCatchAll(deps, opts, catchAll));
    }
  }

  /** The leases' session was lost: every mailbox may be another intake's by now, so its watcher stops at once. */
  function dropAll() {
    for (const w of watchers.values()) w.kill();
    watchers.clear();
    leased.clear();
    running.clear();
  }

  // The reload and the lease loop both reconcile: one at a time, so a mailbox never gets two watchers.
  let turn: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = turn.then(fn);
    turn = p.catch(() => undefined);
    return p;
  };

  await serial(() => reconcile(true));
  const reload =
    opts.reloadIntervalMs === 0
      ? null
      : runPeriodically(
          opts.reloadIntervalMs ?? 30_000,
          () =>
            serial(() => reconcile(false)).catch((err: unknown) =>
              deps.log.warn({ err: (err as Error).message }, 'mailbox settings reload failed'),
            ),
          opts.reloadIntervalMs ?? 30_000,
        );
  // With leases, a mailbox another intake held is tried again soon after that one stops, not at the next reload.
  const leaseLoop = leases
    ? runPeriodically(
        opts.leaseCheckMs ?? 3_000,
        async () => {
          try {
            await serial(async () => {
              if (!(await leases.check())) dropAll();
              await reconcile(false);
            });
          } catch (err) {
            deps.log.warn({ err: (err as Error).message }, 'mailbox leases: check failed');
          }
        },
        opts.leaseCheckMs ?? 3_000,
      )
    : null;
  const retry: CorrelationRetry | null =
    opts.correlationRetryMs === 0
      ? null
      : startCorrelationRetry(deps, { intervalMs: opts.correlationRetryMs });
  return {
    watchers,
    ready: Promise.all([...watchers.values()].map((w) => w.ready)).then(() => undefined),
    async stop() {
      await leaseLoop?.stop();
      await reload?.stop();
      await Promise.all([...watchers.keys()].map((id) => unwatch(id)));
      await leases?.close();
      await retry?.stop();
    },
    kill() {
      void leaseLoop?.stop();
      void reload?.stop();
      for (const w of watchers.values()) w.kill();
      void retry?.stop();
    },
  };
}
