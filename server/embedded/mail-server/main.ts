/**
 * Child-process entry of the local mail server (started by server/embedded/mail-process.ts with an IPC channel):
 * SMTP in, IMAP out, mail on disk. A process of its own so that mail traffic never blocks the app's event loop.
 * It exits by itself when its parent goes away (the IPC channel disconnects, even after a kill -9 of the parent),
 * so no orphan keeps the ports.
 *
 * Options come as JSON in RECLAMATII_MAIL_OPTIONS: { mailDir, host, smtpPort, imapPort }. Log lines go to
 * stdout, which the parent points at the log file.
 */
import { mkdirSync } from 'node:fs';
import { startImapServer, type ImapServer } from './imap-server.ts';
import { MailStore } from './mail-store.ts';
import { startSmtpListener, type SmtpListener } from './smtp-listener.ts';

interface Options {
  mailDir: string;
  host: string;
  smtpPort: number;
  imapPort: number;
}

const line = (level: string, msg: string) =>
  process.stdout.write(`${new Date().toISOString()} ${level} ${msg}\n`);
const log = { info: (m: string) => line('INFO', m), warn: (m: string) => line('WARN', m) };

function tell(msg: { type: 'ready' } | { type: 'error'; message: string }) {
  process.send?.(msg);
}

async function main() {
  const opts = JSON.parse(process.env.RECLAMATII_MAIL_OPTIONS ?? '{}') as Options;
  if (!opts.mailDir || !opts.smtpPort || !opts.imapPort)
    throw new Error('RECLAMATII_MAIL_OPTIONS is incomplete');
  mkdirSync(opts.mailDir, { recursive: true, mode: 0o700 });
  const store = new MailStore(opts.mailDir, log);
  const listen = async <T>(what: string, port: number, start: () => Promise<T>): Promise<T> => {
    try {
      return await start();
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const env = what === 'SMTP' ? 'EMBEDDED_SMTP_PORT' : 'EMBEDDED_IMAP_PORT';
      throw new Error(
        e.code === 'EADDRINUSE'
          ? `${what} port ${opts.host}:${port} is already in use; choose another with ${env}`
          : `${what} on ${opts.host}:${port}: ${e.message}`,
      );
    }
  };
  const imap: ImapServer = await listen('IMAP', opts.imapPort, () =>
    startImapServer({ store, host: opts.host, port: opts.imapPort, log }),
  );
  const smtp: SmtpListener = await listen('SMTP', opts.smtpPort, () =>
    startSmtpListener({ store, host: opts.host, port: opts.smtpPort, log }),
  ).catch(async (err: unknown) => {
    await imap.close();
    throw err;
  });

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`stopping (${why})`);
    // Connections still open after a moment are cut; acknowledged mail is already on disk.
    const grace = new Promise((r) => setTimeout(r, 3000).unref());
    await Promise.race([Promise.all([imap.close(), smtp.close()]), grace]);
    await Promise.race([store.close(), grace]);
    process.exit(0);
  };
  process.on('disconnect', () => void stop('parent process gone'));
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'stop') void stop('asked by the parent');
  });
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  log.info(
    `mail server up: SMTP ${opts.host}:${opts.smtpPort}, IMAP ${opts.host}:${opts.imapPort}, mail in ${opts.mailDir} (pid ${process.pid})`,
  );
  tell({ type: 'ready' });
  if (!process.connected) void stop('started without a parent');
}

// A bug in one session must not take every mailbox down: log it and keep serving.
process.on('uncaughtException', (err) => log.warn(`uncaught: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (err) =>
  log.warn(`unhandled rejection: ${(err as Error)?.stack ?? String(err)}`),
);

main().catch((err: Error) => {
  log.warn(`mail server could not start: ${err.message}`);
  tell({ type: 'error', message: err.message });
  setTimeout(() => process.exit(1), 100);
});
