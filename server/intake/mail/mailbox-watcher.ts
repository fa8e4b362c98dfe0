/**
 * One mailbox's watcher (watchMailbox below): IMAP IDLE for push with a periodic re-scan, messages handled in
 * parallel and moved out of the inbox only once handled, reconnection with backoff.
 *
 * One file although past 300 lines: it is one connection's loop. The search, the fetch, the handling and the moves
 * share one session's state (the queue, the messages in hand, the retries' pauses, the moves waiting) and the
 * signals that wake the loop; split by step, each piece would take all of that state as arguments. The IMAP
 * connection (server/mail/imap.ts) and what becomes of a message (process-message.ts) already live apart.
 */
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
 *
 * One loop per connection issues every IMAP command, one at a time, while up to `concurrency` messages are handled
 * in the background (handling needs no IMAP): it looks for new messages whenever the server announces one, fetches
 * as many as there are free places in one UID FETCH, and moves the messages handled since its last turn in one UID
 * MOVE per folder. A message is thus picked up while others are still being handled (no waiting for a whole batch
 * to finish), and a burst costs a few IMAP round trips per batch instead of three per message.
 */
export function watchMailbox(opts: WatcherOptions): MailboxWatcher {
  const cfg = opts.config;
  const pollMs = opts.pollIntervalMs ?? 30_000;
  const concurrency = opts.concurrency ?? 8;
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
  /** The next search looks at the whole inbox (start, re-scan timer, a retry due), not only above the last UID seen. */
  let rescan = true;
  let wake: (() => void) | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  /** The server announced a message: search above the highest UID seen. */
  const signal = () => {
    dirty = true;
    wake?.();
  };
  /** The re-scan is due, or a failed message may be tried again: search the whole inbox. */
  const signalRescan = () => {
    rescan = true;
    signal();
  };

  /** What one connection knows; dropped with it (UIDs of a new session are only trusted after a new search). */
  interface SessionState {
    /** Found by a search, not fetched yet, oldest first. */
    queue: number[];
    /** Queued, fetched, being handled or waiting for their MOVE: never fetched twice at once. */
    inHand: Set<number>;
    /** Failed messages and when they may be tried again (the failure pause, without holding up the others). */
    notBefore: Map<number, number>;
    handling: Set<Promise<void>>;
    /** Highest UID queued: an announced message is above it (UIDs only grow within a session). */
    highest: number;
    /** Handled, to be moved; `since` is when the oldest of them was handled. */
    moves: { processed: number[]; quarantine: number[] };
    movesSince: number | null;
  }

  /** Moved in one UID MOVE once this many are handled, or after MOVE_DELAY_MS, or when nothing else is in hand. */
  const MOVE_BATCH = Math.max(1, concurrency);
  // Short against the time to register a message: a burst moves in batches, a lone message leaves the inbox at once.
  const MOVE_DELAY_MS = 200;

  /** Handles one message; its UID joins the moves, or (failed, attempts left) is released for a later retry. */
  async function handleOne(st: SessionState, uid: number, mail: IncomingMail): Promise<void> {
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
      if (n < maxAttempts) {
        st.inHand.delete(uid);
        // Retried after a pause rather than spinning on it; the re-scan timer below finds it again.
        const wait = Math.min(backoff.maxMs, backoff.minMs * 2);
        st.notBefore.set(uid, Date.now() + wait);
        setTimeout(signalRescan, wait).unref();
        return;
      }
      try {
        await opts.giveUp(mail, `failed ${n} times: ${(err as Error).message}`.slice(0, 500));
      } catch (e) {
        // Not recorded: it stays in the inbox and is tried again.
        opts.log.warn({ mailbox: opts.label, uid, err: (e as Error).message }, 'e-mail not quarantined');
        st.inHand.delete(uid);
        return;
      }
      to = 'quarantine';
    }
    failures.delete(uid);
    st.moves[to].push(uid);
    st.movesSince ??= Date.now();
  }

  /**
   * Queues the inbox's messages not yet in hand, oldest first: UID SEARCH ALL when a re-scan is due, else only the
   * UIDs above the highest seen (a burst announces a message with every response; searching the whole inbox each
   * time would cost the server and us a list as long as the inbox per turn).
   */
  async function scan(c: ImapFlow, st: SessionState) {
    const full = rescan;
    rescan = false;
    const query = full ? { all: true } : { uid: `${st.highest + 1}:*` };
    const uids = ((await c.search(query, { uid: true })) || []).sort((a, b) => a - b);
    const now = Date.now();
    for (const uid of uids) {
      // `n:*` matches the highest message even when its UID is below n.
      if (!full && uid <= st.highest) continue;
      st.highest = Math.max(st.highest, uid);
      if (st.inHand.has(uid)) continue;
      const at = st.notBefore.get(uid);
      if (at !== undefined && at > now) continue;
      st.notBefore.delete(uid);
      st.inHand.add(uid);
      st.queue.push(uid);
    }
  }

  /** One UID FETCH for as many queued messages as there are free places; each goes to its handler as it arrives. */
  async function fetchSome(c: ImapFlow, st: SessionState) {
    const free = concurrency - st.handling.size;
    if (free <= 0 || !st.queue.length) return;
    const batch = st.queue.splice(0, free);
    const seen = new Set<number>();
    for await (const msg of c.fetch(
      batch.join(','),
      { uid: true, source: true, internalDate: true },
      { uid: true },
    )) {
      if (!msg.source || !batch.includes(msg.uid)) continue;
      seen.add(msg.uid);
      const internal = msg.internalDate;
      const arrivedAt = internal instanceof Date ? internal : internal ? new Date(internal) : new Date();
      const uid = msg.uid;
      const p: Promise<void> = handleOne(st, uid, { raw: msg.source, arrivedAt })
        .catch((err: unknown) => {
          // giveUp or the bookkeeping threw: left in the inbox, seen again at the next search.
          opts.log.warn({ mailbox: opts.label, uid, err: (err as Error).message }, 'e-mail not handled');
          st.inHand.delete(uid);
        })
        .finally(() => {
          st.handling.delete(p);
          wake?.();
        });
      st.handling.add(p);
    }
    // Gone meanwhile (another client moved or expunged it): forgotten, a later search finds it if it is back.
    for (const uid of batch) if (!seen.has(uid)) st.inHand.delete(uid);
  }

  /** One UID MOVE per folder for every message handled since the last turn. */
  async function moveHandled(c: ImapFlow, st: SessionState) {
    for (const to of ['processed', 'quarantine'] as const) {
      const uids = st.moves[to];
      if (!uids.length) continue;
      st.moves[to] = [];
      if (!st.moves.processed.length && !st.moves.quarantine.length) st.movesSince = null;
      const folder = to === 'processed' ? cfg.processedFolder : cfg.quarantineFolder;
      try {
        await c.messageMove(uids.join(','), folder, { uid: true });
      } catch (err) {
        // Recorded but not moved: still in the inbox, seen again; `handle` finds it done and it is moved then.
        opts.log.warn(
          { mailbox: opts.label, uids: uids.length, err: (err as Error).message },
          'e-mail move failed',
        );
        for (const uid of uids) st.inHand.delete(uid);
        throw err;
      }
      for (const uid of uids) {
        st.inHand.delete(uid);
        opts.onMoved?.(uid, to);
      }
    }
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
    const st: SessionState = {
      queue: [],
      inHand: new Set(),
      notBefore: new Map(),
      handling: new Set(),
      highest: 0,
      moves: { processed: [], quarantine: [] },
      movesSince: null,
    };
    rescan = true;
    try {
      while (!stopped && c.usable) {
        const moving = st.moves.processed.length + st.moves.quarantine.length;
        const moveAt = st.movesSince === null ? Infinity : st.movesSince + MOVE_DELAY_MS;
        const idle = st.handling.size === 0 && !st.queue.length;
        if (moving && (moving >= MOVE_BATCH || idle || Date.now() >= moveAt)) await moveHandled(c, st);
        if (dirty) {
          dirty = false;
          await scan(c, st);
        }
        await fetchSome(c, st);
        if (dirty || (st.queue.length && st.handling.size < concurrency)) continue;
        if (st.movesSince !== null && (st.handling.size === 0 || Date.now() >= moveAt)) continue;
        // Nothing to send: wait for a handler to finish, an announced message, the moves' or the re-scan's time.
        const waitMs =
          st.movesSince === null ? pollMs : Math.max(0, st.movesSince + MOVE_DELAY_MS - Date.now());
        const timer = new Promise<void>((r) => {
          const t = setTimeout(() => {
            if (st.movesSince === null) signalRescan();
            r();
          }, waitMs);
          wake = () => {
            clearTimeout(t);
            r();
          };
        });
        // IDLE while waiting, so a new message is announced at once; the next command ends it (imapflow).
        void c.idle().catch(() => undefined);
        await Promise.race([timer, closed, stopping]);
        wake = null;
      }
    } finally {
      // The messages in hand finish; on a usable connection (stop) they are moved, else they are seen again.
      await Promise.all(st.handling);
      if (c.usable) await moveHandled(c, st).catch(() => undefined);
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
