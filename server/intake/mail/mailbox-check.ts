import { DomainError } from '../../errors.ts';
import { imapClient } from '../../mail/imap.ts';
import type { OutboundPolicy } from '../../net/outbound-fence.ts';
import type { MailboxConfig } from './mailbox-watcher.ts';

export interface MailboxCheck {
  /** Messages waiting in the intake folder now. */
  messages: number;
  /** Of the Processed and Quarantine folders, those the intake will create at its first connection. */
  foldersToCreate: string[];
}

/** What the admin reads when the connection fails: the reason in Romanian, never the server's raw answer. */
function reasonOf(err: unknown, cfg: MailboxConfig, timeoutMs: number): string {
  const e = err as { authenticationFailed?: boolean; code?: string; message?: string };
  if (e.authenticationFailed) return 'Serverul a refuzat utilizatorul sau parola.';
  switch (e.code) {
    case 'ECONNREFUSED':
      return `Serverul ${cfg.host} nu acceptă conexiuni pe portul ${cfg.port}.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Numele serverului ${cfg.host} nu poate fi găsit.`;
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
    case 'GREETING_TIMEOUT':
      return `Serverul nu a răspuns în ${timeoutMs / 1000} secunde.`;
  }
  if (/tls|ssl|certificate|wrong version number/i.test(e.message ?? ''))
    return 'Conexiunea securizată (SSL/TLS) a eșuat: verificați portul și opțiunea SSL/TLS.';
  return 'Conexiunea la căsuța de e-mail a eșuat.';
}

/**
 * Connects once with the given settings, as the intake would, and reports what it found; fails with
 * OUTBOUND_REFUSED for an internal address or one of the installation's ports, else MAILBOX_UNREACHABLE and the reason. Nothing is read, moved or created.
 */
export async function checkMailbox(
  cfg: MailboxConfig,
  fence: OutboundPolicy,
  timeoutMs = 10_000,
): Promise<MailboxCheck> {
  // A tenant's admin typed the host: only a public address (or one the operator allowed), connected to as checked.
  const client = await imapClient(cfg, { fence, timeoutMs });
  client.on('error', () => {}); // the awaited calls below report it
  try {
    await client.connect();
  } catch (err) {
    throw new DomainError('MAILBOX_UNREACHABLE', {}, reasonOf(err, cfg, timeoutMs));
  }
  try {
    const status = await client.status(cfg.mailbox, { messages: true }).catch(() => null);
    if (!status)
      throw new DomainError(
        'MAILBOX_UNREACHABLE',
        {},
        `Dosarul „${cfg.mailbox}” nu există în această căsuță.`,
      );
    const existing = new Set((await client.list()).map((f) => f.path));
    return {
      messages: status.messages ?? 0,
      foldersToCreate: [cfg.processedFolder, cfg.quarantineFolder].filter((f) => !existing.has(f)),
    };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
