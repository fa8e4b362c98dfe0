import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import { inject } from 'vitest';

/**
 * Reads a mailbox of the local mail server over real IMAP (it accepts any password): the test run's, or the one at
 * `server` (a system a test started itself).
 */
export async function readMailbox(
  address: string,
  server: { host: string; port: number } = { host: inject('imapHost'), port: inject('imapPort') },
): Promise<ParsedMail[]> {
  const client = new ImapFlow({
    host: server.host,
    port: server.port,
    secure: false,
    auth: { user: address, pass: address },
    logger: false,
  });
  await client.connect();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const out: ParsedMail[] = [];
      const mailbox = client.mailbox;
      if (!mailbox || mailbox.exists === 0) return out;
      for await (const msg of client.fetch('1:*', { source: true })) {
        if (msg.source) out.push(await simpleParser(msg.source));
      }
      return out;
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => undefined);
  }
}
