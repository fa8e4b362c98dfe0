import { SMTPServer } from 'smtp-server';
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js';

export interface SmtpFrontOptions {
  host: string;
  port: number;
  /** Where dovecot's LMTP listens. */
  lmtp: { host: string; port: number };
  /** Largest message accepted, in bytes (default 64 MiB). */
  maxSize?: number;
  log: { warn(msg: string): void };
}

export interface SmtpFront {
  close(): Promise<void>;
}

/** Hands one message, bytes untouched, to dovecot over LMTP. Resolves when every recipient was accepted. */
function deliverLmtp(
  lmtp: { host: string; port: number },
  envelope: { from: string; to: string[] },
  raw: Buffer,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const conn = new SMTPConnection({ host: lmtp.host, port: lmtp.port, lmtp: true, secure: false });
    const fail = (err: Error) => {
      conn.close();
      reject(err);
    };
    conn.once('error', fail);
    conn.connect(() => {
      conn.send(envelope, raw, (err, info) => {
        conn.quit();
        if (err) return reject(err);
        if (info.rejected.length) return reject(new Error(`LMTP rejected ${info.rejected.join(', ')}`));
        resolve();
      });
    });
  });
}

/**
 * The local mail server's SMTP side: a plain SMTP listener (no TLS, any credentials accepted, like a test MTA)
 * that passes each message unchanged to dovecot's LMTP, which stores it and adds the Return-Path of the envelope
 * (empty for bounces). Dovecot has no SMTP listener of its own for local delivery, so this is its front door.
 */
export async function startSmtpFront(opts: SmtpFrontOptions): Promise<SmtpFront> {
  const maxSize = opts.maxSize ?? 64 * 1024 * 1024;
  const server = new SMTPServer({
    name: 'reclamatii.local',
    banner: 'Reclamatii local SMTP (dovecot LMTP)',
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    size: maxSize,
    logger: false,
    onAuth(auth, _session, cb) {
      cb(null, { user: auth.username ?? 'anonymous' });
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          cb(Object.assign(new Error('Message too large'), { responseCode: 552 }));
          return;
        }
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        deliverLmtp(opts.lmtp, { from, to }, Buffer.concat(chunks)).then(
          () => cb(null),
          (err: Error) => {
            opts.log.warn(`local delivery failed: ${err.message}`);
            cb(Object.assign(new Error('Local delivery failed, try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  server.on('error', (err) => opts.log.warn(`SMTP front: ${err.message}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
