import { setTimeout as sleep } from 'node:timers/promises';
import type { ImapFlow } from 'imapflow';
import type { Logger } from '../../logger.ts';
import { imapClient } from '../../mail/imap.ts';
import type { OutboundPolicy } from '../../net/outbound-fence.ts';
import type { IncomingMail } from './process-message.ts';

export interface MailboxConfig {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
  processedFolder: string;
  quarantineFolder: string;
}

export interface WatcherOptions {
  config: MailboxConfig;
  /** For logs: the tenant code. */
  label: string;
  /** Processes one message; resolves with where it goes. Throwing leaves it in the inbox for a retry. */
  handle(mail: IncomingMail): Promise<'processed' | 'quarantine'>;
  /** Records a message that failed `maxAttempts` times before it is moved to quarantine. */
  giveUp(mail: IncomingMail, reason: string): Promise<void>;
  log: Logger;
  /** Re-scan the inbox this often even without an IDLE push (servers without IDLE, lost notifications). */
  pollIntervalMs?: number;
  /** Messages handled in parallel. */
  concurrency?: number;
  maxAttempts?: number;
  backoff?: { minMs: number; maxMs: number };
  /**
   * For a mailbox a tenant chose: the outbound fence checked before every connection (the name is resolved again
   * each time, and the checked address is the one connected to). Absent for the operator's own mailboxes.
   */
  fence?: OutboundPolicy;
  /** Called after every message is moved (tests and benchmarks observe progress). */
  onMoved?(uid: number, to: 'processed' | 'quarantine'): void;
}

export interface MailboxWatcher {
  /** Lets the messages in hand finish, then logs out. */
  stop(): Promise<void>;
  /** Drops the connection at once, as a crash would (messages in hand are not moved). */
  kill(): void;
  /** Resolves when the watcher has connected once. */
  ready: Promise<void>;
}

function isAlreadyExists(err: unknown): boolean {
  const e = err as { serverResponseCode?: string; responseText?: string };
  return e.serverResponseCode === 'ALREADYEXISTS' || /exists/i.test(e.responseText ?? '');
}

/**
 * Watches one mailbox with imapflow: IDLE for push, a periodic re-scan as the fallback, reconnecting with
 * exponential backoff. A message leaves the inbox (MOVE to Processed or Quarantine) only after `handle` resolved,
 * so a crash in between means it is seen again and `handle` must be idempotent.
 */
export function watchMailbox(opts: WatcherOptions): MailboxWatcher {
  const cfg = opts.config;
  const pollMs = opts.pollIntervalMs ?? 30_000;
  const concurrency = opts.concurrency ?? 4;
  const maxAttempts = opts.maxAttempts ?? 5;
  const backoff = opts.backoff ?? { minMs: 500, maxMs: 30_000 };
  const failures = new Map<number, number>();
  let stopped = false;
  const abort = new AbortController();
  const stopping = new Promise<void>((r) =>
    abort.signal.addEventListener('abort', () => r(), { once: true }),
  );
  const pause = (ms: number) => sleep(ms, undefined, { signal: abort.signal }).catch(() => undefined);
  let client: ImapFlow | null = null;
  let dirty = true;
  let wake: (() => void) | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  const signal = () => {
    dirty = true;
    wake?.();
  };

  async function handleOne(c: ImapFlow, uid: number, mail: IncomingMail): Promise<boolean> {
    let to: 'processed' | 'quarantine';
    try {
      to = await opts.handle(mail);
    } catch (err) {
      const n = (failures.get(uid) ?? 0) + 1;
      failures.set(uid, n);
      opts.log.warn(
        { mailbox: opts.label, uid, attempt: n, err: (err as Error).message },
        'e-mail not processed',
      );
      if (n < maxAttempts) return false;
      await opts.giveUp(mail, `failed ${n} times: ${(err as Error).message}`.slice(0, 500));
      to = 'quarantine';
    }
    failures.delete(uid);
    await c.messageMove(String(uid), to === 'processed' ? cfg.processedFolder : cfg.quarantineFolder, {
      uid: true,
    });
    opts.onMoved?.(uid, to);
    return true;
  }

  /** Takes every message in the inbox, oldest first, `concurrency` at a time. False if one failed. */
  async function drain(c: ImapFlow): Promise<boolean> {
    const uids = ((await c.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
    const inflight = new Set<Promise<boolean>>();
    let ok = true;
    for (const uid of uids) {
      if (stopped || !c.usable) break;
      const msg = await c.fetchOne(String(uid), { source: true, internalDate: true }, { uid: true });
      if (!msg || !msg.source) continue;
      const internal = msg.internalDate;
      const arrivedAt = internal instanceof Date ? internal : internal ? new Date(internal) : new Date();
      const p: Promise<boolean> = handleOne(c, uid, { raw: msg.source, arrivedAt })
        .catch((err: unknown) => {
          opts.log.warn({ mailbox: opts.label, uid, err: (err as Error).message }, 'e-mail move failed');
          return false;
        })
        .then((r) => {
          inflight.delete(p);
          if (!r) ok = false;
          return r;
        });
      inflight.add(p);
      if (inflight.size >= concurrency) await Promise.race(inflight);
    }
    await Promise.all(inflight);
    return ok;
  }

  async function session(attempt: { n: number }) {
    // Without IDLE on the server, imapflow keeps the connection alive with NOOP; our re-scan timer still runs.
    const c = await imapClient(cfg, { fence: opts.fence, watch: true });
    client = c;
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.on('error', (err: Error) => opts.log.warn({ mailbox: opts.label, err: err.message }, 'IMAP error'));
    c.on('exists', signal);
    await c.connect();
    for (const folder of [cfg.processedFolder, cfg.quarantineFolder]) {
      await c.mailboxCreate(folder).catch((err: unknown) => {
        if (!isAlreadyExists(err)) throw err;
      });
    }
    await c.mailboxOpen(cfg.mailbox);
    attempt.n = 0;
    markReady();
    while (!stopped && c.usable) {
      if (dirty) {
        dirty = false;
        const ok = await drain(c);
        if (!ok) {
          // Something failed: retry after a pause rather than spinning on it.
          await pause(Math.min(backoff.maxMs, backoff.minMs * 2));
          dirty = true;
          continue;
        }
        if (dirty) continue;
      }
      const timer = new Promise<void>((r) => {
        const t = setTimeout(() => {
          dirty = true;
          r();
        }, pollMs);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
      void c.idle().catch(() => undefined);
      await Promise.race([timer, closed, stopping]);
      wake = null;
    }
  }

  const loop = (async () => {
    const attempt = { n: 0 };
    while (!stopped) {
      try {
        await session(attempt);
      } catch (err) {
        if (!stopped)
          opts.log.warn({ mailbox: opts.label, err: (err as Error).message }, 'IMAP session ended');
      } finally {
        const c = client as ImapFlow | null;
        client = null;
        if (c?.usable) await c.logout().catch(() => c.close());
        else c?.close();
      }
      if (stopped) break;
      const delay = Math.min(backoff.maxMs, backoff.minMs * 2 ** attempt.n) * (0.75 + Math.random() / 2);
      attempt.n++;
      dirty = true;
      await pause(delay);
    }
  })();

  return {
    ready,
    async stop() {
      stopped = true;
      abort.abort();
      wake?.();
      await loop;
    },
    kill() {
      stopped = true;
      abort.abort();
      client?.close();
      wake?.();
    },
  };
}
