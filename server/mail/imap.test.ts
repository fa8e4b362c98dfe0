import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImapServer, type ImapServer } from '../embedded/mail-server/imap-server.ts';
import { MailStore } from '../embedded/mail-server/mail-store.ts';
import { imapClient } from './imap.ts';

/** A free port on 127.0.0.1, for this file's own IMAP server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const quiet = { info: () => {}, warn: () => {} };

describe('imapClient: the one IMAP connection setup', () => {
  let dir: string;
  let server: ImapServer;
  let port: number;
  const account = () => ({ host: '127.0.0.1', port, secure: false, user: 'ana@exemplu.test', pass: 'x' });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'imap-client-'));
    port = await freePort();
    // The product's own mail server (server/embedded/mail-server), in this process: a real IMAP conversation.
    server = await startImapServer({ store: new MailStore(dir, quiet), host: '127.0.0.1', port, log: quiet });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in to the mailbox it was given and opens its inbox', async () => {
    const client = await imapClient(account(), { timeoutMs: 5_000 });
    client.on('error', () => {});
    await client.connect();
    try {
      const inbox = await client.status('INBOX', { messages: true });
      expect(inbox).toMatchObject({ messages: 0 });
    } finally {
      await client.logout();
    }
  });

  it("refuses a tenant's mailbox on an internal address before any connection (the outbound fence)", async () => {
    await expect(imapClient(account(), { fence: { allow: [], ownPorts: [] } })).rejects.toMatchObject({
      code: 'OUTBOUND_REFUSED',
    });
  });

  it('connects through the fence to what the operator allowed, to the checked address', async () => {
    const client = await imapClient(account(), {
      fence: { allow: ['127.0.0.1'], ownPorts: [] },
      timeoutMs: 5_000,
    });
    client.on('error', () => {});
    await client.connect();
    try {
      expect(client.usable).toBe(true);
    } finally {
      await client.logout();
    }
  });

  it('sets timeouts for a one-off look and keep-alive for a watcher, not the other way round', async () => {
    const options = async (o: Parameters<typeof imapClient>[1]) =>
      (
        (await imapClient(account(), o)) as unknown as {
          options: { socketTimeout?: number; missingIdleCommand?: string; maxIdleTime?: number };
        }
      ).options;
    expect(await options({ timeoutMs: 7_000 })).toMatchObject({ socketTimeout: 7_000 });
    expect((await options({ timeoutMs: 7_000 })).missingIdleCommand).toBeUndefined();
    expect(await options({ watch: true })).toMatchObject({
      missingIdleCommand: 'NOOP',
      maxIdleTime: 300_000,
    });
    expect((await options({ watch: true })).socketTimeout).toBeUndefined();
  });
});
