import { outboundPolicy } from '../../server/net/outbound-fence.ts';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { inject } from 'vitest';
import type { Db } from '../../server/db/client.ts';
import { tenants } from '../../server/db/schema/index.ts';
import { startMailIntake, type MailIntake } from '../../server/intake/mail/start-intake.ts';
import type { MailboxConfig } from '../../server/intake/mail/mailbox-watcher.ts';
import type { MailboxLeases } from '../../server/intake/mail/mailbox-lease.ts';
import type { IntakeTenant, ProcessOutcome } from '../../server/intake/mail/process-message.ts';
import type { EngineClient } from '../../server/engine/client.ts';
import { silentLog } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';

export const OUR_SENDER = 'noreply@reclamatii.local';

/**
 * The mail server is shared by every test file of a run, so each file gives its tenants their own complaint
 * addresses (the DEMO tenant keeps the `demo` local part the README documents, with a suffix).
 */
export async function giveTenantsFreshAddresses(db: Db, ids: { demo: string; acme: string }) {
  const suffix = randomBytes(4).toString('hex');
  const demo = `demo-${suffix}@reclamatii.local`;
  const acme = `acme-${suffix}@reclamatii.local`;
  await db.update(tenants).set({ intakeEmail: demo }).where(eq(tenants.id, ids.demo));
  await db.update(tenants).set({ intakeEmail: acme }).where(eq(tenants.id, ids.acme));
  return { demo, acme };
}

export function imapClient(user: string): ImapFlow {
  return new ImapFlow({
    host: inject('imapHost'),
    port: inject('imapPort'),
    secure: false,
    auth: { user, pass: 'x' },
    logger: false,
  });
}

/** IMAP APPEND of exact bytes into a mailbox (as a mail server would deliver them). */
export async function appendRaw(address: string, raw: Buffer | string, folder = 'INBOX'): Promise<void> {
  const c = imapClient(address);
  await c.connect();
  try {
    await c.append(folder, typeof raw === 'string' ? Buffer.from(raw) : raw);
  } finally {
    await c.logout().catch(() => c.close());
  }
}

/** Sends raw bytes over the local SMTP server with the given envelope sender ('' = a bounce's null sender). */
export async function sendRaw(
  to: string,
  raw: Buffer | string,
  from = 'consumer@example.test',
): Promise<void> {
  const t = nodemailer.createTransport(inject('smtpUrl'));
  try {
    await t.sendMail({ envelope: { from, to: [to] }, raw });
  } finally {
    t.close();
  }
}

/** UIDs and bytes of the messages in a folder. */
export async function folderContents(address: string, folder: string): Promise<Buffer[]> {
  const c = imapClient(address);
  await c.connect();
  try {
    const status = await c.status(folder, { messages: true }).catch(() => null);
    if (!status || !status.messages) return [];
    const lock = await c.getMailboxLock(folder);
    try {
      const out: Buffer[] = [];
      for await (const m of c.fetch('1:*', { source: true })) if (m.source) out.push(m.source);
      return out;
    } finally {
      lock.release();
    }
  } finally {
    await c.logout().catch(() => c.close());
  }
}

/** A simple RFC 822 message with CRLF line ends. */
export function rfc822(headers: Record<string, string>, body: string): string {
  const h = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n');
  return `${h}\r\n\r\n${body.replace(/\r?\n/g, '\r\n')}`;
}

export function messageId(): string {
  return `<${randomBytes(8).toString('hex')}@example.test>`;
}

export interface RunningIntake extends MailIntake {
  outcomes: Array<{ tenant: IntakeTenant | null; outcome: ProcessOutcome }>;
  /** Waits until `n` outcomes were seen in total. */
  waitForOutcomes(n: number, timeoutMs?: number): Promise<ProcessOutcome[]>;
}

export async function runIntake(
  deps: { db: Db; engine: EngineClient; secret: string },
  tenantIds: string[],
  opts: {
    pollIntervalMs?: number;
    concurrency?: number;
    catchAll?: MailboxConfig;
    correlationRetryMs?: number;
    reloadIntervalMs?: number;
    leases?: MailboxLeases;
    leaseCheckMs?: number;
  } = {},
): Promise<RunningIntake> {
  const outcomes: RunningIntake['outcomes'] = [];
  const intake = await startMailIntake(
    { ...deps, log: silentLog, ownAddresses: [OUR_SENDER] },
    {
      localImap: { host: inject('imapHost'), port: inject('imapPort') },
      // The tests play the operator who allowed the run's own mail server for tenants' settings (OUTBOUND_ALLOW_HOSTS).
      fence: outboundPolicy({ allow: [`${inject('imapHost')}:${inject('imapPort')}`] }),
      tenantIds,
      pollIntervalMs: opts.pollIntervalMs ?? 1000,
      concurrency: opts.concurrency,
      catchAll: opts.catchAll ?? null,
      correlationRetryMs: opts.correlationRetryMs ?? 500,
      reloadIntervalMs: opts.reloadIntervalMs ?? 0,
      leases: opts.leases,
      leaseCheckMs: opts.leaseCheckMs,
      onOutcome(tenant, outcome) {
        outcomes.push({ tenant, outcome });
      },
    },
  );
  await intake.ready;
  return {
    ...intake,
    outcomes,
    async waitForOutcomes(n, timeoutMs = 30_000) {
      await waitFor(
        () => {
          if (outcomes.length >= n) return true;
          throw new Error(`saw ${outcomes.length}`);
        },
        { timeoutMs, stepMs: 50, what: `${n} processed messages` },
      );
      return outcomes.map((o) => o.outcome);
    },
  };
}
