import type { ReservedSql, Sql } from 'postgres';
import type { Logger } from '../../logger.ts';
import type { MailboxConfig } from './mailbox-watcher.ts';

/**
 * Which intake process reads a mailbox, when several run (`npm run cluster`, or replicas in production): a
 * PostgreSQL session-level advisory lock per mailbox, held on one connection this process keeps for it. The lock is
 * the lease. It needs no clock and no expiry: PostgreSQL drops a session's locks when the session ends, so the
 * mailboxes of an intake killed with `kill -9` are free the moment its socket closes, and another intake takes them
 * on its next try.
 *
 * Two readers of one mailbox would each fetch and register the same messages; handling is idempotent (the
 * Message-ID and the raw bytes' hash find a message already recorded), so the lease is not what keeps a message
 * single, but it keeps the work, the IMAP connections and the order of a mailbox with one reader.
 *
 * Advisory locks belong to one database, which every intake of an installation shares; test files each have a
 * database of their own, so their intakes never meet here even on one mail server.
 */
export interface MailboxLeases {
  /** True when this process holds the mailbox's lease (it had it, or took it now). */
  take(mailbox: MailboxConfig): Promise<boolean>;
  release(mailbox: MailboxConfig): Promise<void>;
  /** Whether the session holding the leases is still the one that took them; false once it was lost. */
  check(): Promise<boolean>;
  close(): Promise<void>;
}

/** The lock's first key: names the use, so our advisory locks never meet another's. ('mail' in ASCII.) */
const LEASE_CLASS = 0x6d61696c;

/** Where a mailbox is, without its password: the same mailbox has the same key in every process. */
export function mailboxKey(m: MailboxConfig): string {
  return `${m.host.toLowerCase()}:${m.port}/${m.user.toLowerCase()}/${m.mailbox}`;
}

export function createMailboxLeases(sql: Sql, log: Logger): MailboxLeases {
  let session: { conn: ReservedSql; pid: number } | null = null;
  const held = new Set<string>();

  async function open() {
    if (session) return session;
    const conn = await sql.reserve();
    try {
      const [row] = await conn<Array<{ pid: number }>>`select pg_backend_pid() as pid`;
      session = { conn, pid: row!.pid };
      return session;
    } catch (err) {
      conn.release();
      throw err;
    }
  }

  /** The session is gone (or replaced by a reconnection): so are its locks. */
  function lose(reason: string) {
    if (!session) return;
    if (held.size) log.warn({ mailboxes: held.size, reason }, 'mailbox leases lost with their session');
    session.conn.release();
    session = null;
    held.clear();
  }

  return {
    async take(mailbox) {
      const key = mailboxKey(mailbox);
      if (held.has(key)) return true;
      const s = await open();
      const [row] = await s.conn<Array<{ ok: boolean }>>`
        select pg_try_advisory_lock(${LEASE_CLASS}::int, hashtext(${key})) as ok`;
      if (row?.ok) held.add(key);
      return Boolean(row?.ok);
    },
    async release(mailbox) {
      const key = mailboxKey(mailbox);
      if (!held.delete(key) || !session) return;
      await session.conn`select pg_advisory_unlock(${LEASE_CLASS}::int, hashtext(${key}))`.catch(() =>
        lose('unlock failed'),
      );
    },
    async check() {
      if (!session) return held.size === 0;
      try {
        const [row] = await session.conn<Array<{ pid: number }>>`select pg_backend_pid() as pid`;
        if (row?.pid === session.pid) return true;
        lose('the connection was re-opened');
      } catch (err) {
        lose((err as Error).message);
      }
      return false;
    },
    async close() {
      if (!session) return;
      // Ending the session frees every lock it holds.
      const s = session;
      session = null;
      held.clear();
      await s.conn`select pg_advisory_unlock_all()`.catch(() => undefined);
      s.conn.release();
    },
  };
}
