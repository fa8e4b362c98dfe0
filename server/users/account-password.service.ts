import type { Db, DbOrTx } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/index.ts';
import {
  loginAddressHash,
  type Principal,
  hashPassword,
  verifyPassword,
  sessionIdOf,
  clearLoginFailures,
  endSessionsOf,
  updateStaffAccount,
} from '../auth/index.ts';
import { passwordProblem } from './password-rules.ts';
import { getPasswordHashForUpdate, getPasswordTokenForUpdate, markPasswordTokenUsed } from './users.repo.ts';
import { withAllTenants } from '../db/tenant-scope.ts';

/** The shape generateSessionToken gives; anything else cannot be one of our links. */
const TOKEN = /^[a-z2-7]{32}$/;

/**
 * The public side of a password-setting link: whoever holds the link (it went to the person's address) may see
 * whose account it is and choose its password, once, within 24 hours.
 */
export function createAccountPasswordService(deps: { db: Db; secret: string }) {
  const { db, secret } = deps;

  /** The link's row, or the reason it cannot be used (checked in this order: unknown, used, expired). */
  async function usable(tx: DbOrTx, token: string) {
    if (!TOKEN.test(token)) throw new DomainError('PASSWORD_LINK_INVALID');
    const row = await getPasswordTokenForUpdate(tx, sessionIdOf(token));
    if (!row || !row.active) throw new DomainError('PASSWORD_LINK_INVALID');
    if (row.usedAt) throw new DomainError('PASSWORD_LINK_USED');
    if (row.expiresAt.getTime() <= Date.now()) throw new DomainError('PASSWORD_LINK_EXPIRED');
    return row;
  }

  // A link is found by its secret before its tenant is known: these two run across tenants (row-level security,
  // server/db/tenant-scope.ts), and touch only the link's own account.
  const acrossTenants = <T>(fn: () => Promise<T>) => withAllTenants('password link: found by its secret', fn);

  async function check(token: string) {
    const row = await acrossTenants(() => db.transaction((tx) => usable(tx, token)));
    return { name: row.name, email: row.email, expiresAt: row.expiresAt.toISOString() };
  }

  /**
   * Sets the password and spends the link. A refused password leaves the link usable. Any session still open
   * ends, and the address's failed logins are forgotten, so the person can log in with it at once.
   */
  async function setPassword(token: string, password: string, confirmation: string) {
    return acrossTenants(() =>
      db.transaction(async (tx) => {
        const row = await usable(tx, token);
        const problem = passwordProblem(password, confirmation, row.email);
        if (problem) throw new DomainError(problem);
        await updateStaffAccount(tx, row.tenantId, row.userId, {
          passwordHash: await hashPassword(password),
        });
        await markPasswordTokenUsed(tx, row.id);
        const sessionsEnded = await endSessionsOf(tx, row.tenantId, row.userId);
        await clearLoginFailures(tx, loginAddressHash(secret, row.email));
        await appendAudit(tx, {
          tenantId: row.tenantId,
          actorId: row.userId,
          actorKind: 'user',
          action: 'user.password_set',
          entityType: 'user',
          entityId: row.userId,
          details: { sessionsEnded },
        });
        return { email: row.email };
      }),
    );
  }

  /**
   * A signed-in person changes their own password: the current one first (a session left open on a shared
   * computer is not enough), the same rules as a new one, not the same as before. Every other session of the
   * person ends; this one stays.
   */
  async function changeOwnPassword(
    who: Principal,
    current: string,
    password: string,
    confirmation: string,
  ): Promise<{ otherSessionsEnded: number }> {
    return db.transaction(async (tx) => {
      const hash = await getPasswordHashForUpdate(tx, who.tenantId, who.userId);
      if (!hash) throw new DomainError('AUTH_SESSION_INVALID');
      if (!(await verifyPassword(hash, current))) throw new DomainError('PASSWORD_CURRENT_WRONG');
      if (password === current) throw new DomainError('PASSWORD_UNCHANGED');
      const problem = passwordProblem(password, confirmation, who.email);
      if (problem) throw new DomainError(problem);
      await updateStaffAccount(tx, who.tenantId, who.userId, { passwordHash: await hashPassword(password) });
      const otherSessionsEnded = await endSessionsOf(tx, who.tenantId, who.userId, who.sessionId);
      await appendAudit(tx, {
        tenantId: who.tenantId,
        actorId: who.userId,
        actorKind: 'user',
        action: 'user.password_changed',
        entityType: 'user',
        entityId: who.userId,
        details: { otherSessionsEnded },
      });
      return { otherSessionsEnded };
    });
  }

  return { check, setPassword, changeOwnPassword };
}

export type AccountPasswordService = ReturnType<typeof createAccountPasswordService>;
