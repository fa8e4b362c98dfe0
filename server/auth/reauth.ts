import { DomainError } from '../errors.ts';
import { REAUTH_WINDOW_MS, type Principal } from './auth.service.ts';

/**
 * The guard before a sensitive operation (granting permission roles, changing the mailbox, resetting someone's
 * TOTP): the person must have proved who they are (sign-in or POST /api/auth/reauth: password, and TOTP when
 * enrolled) within the last REAUTH_WINDOW_MS. A session left open on a shared computer is not enough. Call it in
 * the service or route before the change; it throws AUTH_REAUTH_REQUIRED (403), on which the UI asks again.
 * A principal built in-process (no session) never passes: such callers are not people at a keyboard.
 */
export function requireRecentAuth(p: Principal, now = Date.now()): void {
  const at = p.authenticatedAt?.getTime();
  if (at === undefined || now - at > REAUTH_WINDOW_MS) throw new DomainError('AUTH_REAUTH_REQUIRED');
}
