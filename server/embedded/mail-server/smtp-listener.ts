import { SMTPServer } from 'smtp-server';
import type { MailStore } from './mail-store.ts';

/** Largest message accepted over SMTP (the intake must take 25 MB attachments with room for encoding). */
export const SMTP_MAX_SIZE = 30 * 1024 * 1024;
export const SMTP_BANNER = 'Reclamatii local SMTP';

export interface SmtpListener {
  close(): Promise<void>;
}

function validAddress(a: string): boolean {
  if (!a || a.length > 254 || a.indexOf('@') <= 0) return false;
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) <= 0x20 || a.charCodeAt(i) === 0x7f) return false;
  return true;
}

/**
 * The local mail server's SMTP side (npm smtp-server): no TLS, no login needed (any is accepted), like a test
 * MTA. Each recipient gets its own copy in its INBOX, with only `Return-Path: <envelope sender>` (empty for
 * bounces) and `Delivered-To: <recipient>` put in front; the message as sent follows byte for byte. The 250 goes
 * out only after every copy is durable on disk.
 */
export function startSmtpListener(opts: {
  store: MailStore;
  host: string;
  port: number;
  log: { info(m: string): void; warn(m: string): void };
}): Promise<SmtpListener> {
  const server = new SMTPServer({
    name: 'reclamatii.local',
    banner: SMTP_BANNER,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    hideSTARTTLS: true,
    allowInsecureAuth: true,
    size: SMTP_MAX_SIZE,
    logger: false,
    onAuth(auth, _session, cb) {
      cb(null, { user: auth.username ?? 'anonymous' });
    },
    onRcptTo(address, _session, cb) {
      if (!validAddress(address.address))
        return cb(Object.assign(new Error('Bad recipient address'), { responseCode: 553 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        if (!(stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) chunks.push(c);
      });
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          cb(
            Object.assign(new Error(`Message too large (at most ${SMTP_MAX_SIZE} bytes)`), {
              responseCode: 552,
            }),
          );
          return;
        }
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const seen = new Set<string>();
        const rcpts = session.envelope.rcptTo
          .map((r) => r.address)
          .filter((a) => !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
        Promise.all(
          rcpts.map(async (to) => {
            const prefix = Buffer.from(`Return-Path: <${from}>\r\nDelivered-To: ${to}\r\n`, 'utf8');
            const inbox = await (await opts.store.user(to)).inbox();
            return inbox.append(Buffer.concat([prefix, raw]), [], Date.now());
          }),
        ).then(
          () => {
            // Addresses are personal data (a consumer's): the log names only how many and their domains.
            const domains = [...new Set(rcpts.map((a) => a.slice(a.lastIndexOf('@') + 1).toLowerCase()))];
            opts.log.info(
              `delivered ${raw.length} bytes to ${rcpts.length} mailbox(es) at ${domains.map((d) => `@${d}`).join(', ')}`,
            );
            cb(null, 'Delivered');
          },
          (err: Error) => {
            opts.log.warn(`local delivery failed: ${err.message}`);
            cb(Object.assign(new Error('Local delivery failed, try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  server.on('error', (err) => opts.log.warn(`SMTP: ${err.message}`));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve({ close: () => new Promise<void>((r) => server.close(() => r())) });
    });
  });
}
