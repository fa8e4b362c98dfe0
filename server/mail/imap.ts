/**
 * The one way this installation opens an IMAP connection (issue 14 item 4): the mail intake's watcher, the
 * admin's mailbox check and the local-mail reader (`npm run mail`) all take their client from here, so the
 * outbound fence, the TLS name, the login and the timeouts are set the same way everywhere.
 */
import { ImapFlow } from 'imapflow';
import { checkOutbound, connectOptions, type OutboundPolicy } from '../net/outbound-fence.ts';

/** Where and as whom to log in. */
export interface ImapAccount {
  host: string;
  port: number;
  /** TLS from the first byte (993); false for a plain connection. */
  secure: boolean;
  user: string;
  pass: string;
}

export interface ImapClientOptions {
  /**
   * For a mailbox a tenant chose: the outbound fence, checked before every connection (the name is resolved again
   * each time, and the checked address is the one connected to, the typed name kept for TLS). Absent for the
   * operator's own mailboxes and the local mail server.
   */
  fence?: OutboundPolicy | undefined;
  /** Connection, greeting and socket timeouts, for a one-off look; a watcher keeps imapflow's own. */
  timeoutMs?: number | undefined;
  /**
   * A connection that stays open to watch the mailbox: without IDLE on the server imapflow keeps it alive with
   * NOOP, and IDLE is renewed every 5 minutes.
   */
  watch?: boolean | undefined;
}

/** A client for the account, not connected yet (`connect()` it); throws OUTBOUND_REFUSED when the fence says no. */
export async function imapClient(account: ImapAccount, opts: ImapClientOptions = {}): Promise<ImapFlow> {
  const target = opts.fence
    ? connectOptions(await checkOutbound(opts.fence, account.host, account.port))
    : { host: account.host };
  return new ImapFlow({
    ...target,
    port: account.port,
    secure: account.secure,
    auth: { user: account.user, pass: account.pass },
    logger: false,
    ...(opts.timeoutMs
      ? { connectionTimeout: opts.timeoutMs, greetingTimeout: opts.timeoutMs, socketTimeout: opts.timeoutMs }
      : {}),
    ...(opts.watch ? { missingIdleCommand: 'NOOP' as const, maxIdleTime: 5 * 60_000 } : {}),
  });
}
