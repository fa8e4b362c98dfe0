import type { DbOrTx } from '../db/client.ts';
import type { PermissionRole } from '../db/schema/index.ts';
import {
  clearFailures,
  deleteExpiredStaffSessions,
  deleteOldStaffLoginFailures,
  deleteSessionsOfUser,
  insertStaff,
  updateStaff,
  upsertStaff,
} from './auth.repo.ts';

/*
 * The auth module owns who can sign in: the staff accounts with their credentials, their sessions, the failed
 * logins and the recovery codes (server/db/schema/README.md). The users module administers staff (creates,
 * renames, grants, deactivates, resets) through these functions, in its own transactions.
 */

/** A new staff account; its id. */
export function createStaffAccount(
  tx: DbOrTx,
  v: { tenantId: string; name: string; email: string; roles: PermissionRole[]; passwordHash: string },
): Promise<string> {
  return insertStaff(tx, v);
}

/** Changes an account: name, permission roles, active, password hash. */
export function updateStaffAccount(
  tx: DbOrTx,
  tenantId: string,
  userId: string,
  set: Partial<{ name: string; roles: PermissionRole[]; active: boolean; passwordHash: string }>,
): Promise<void> {
  return updateStaff(tx, tenantId, userId, set);
}

/** The seed's staff: created, or renamed when the e-mail exists. */
export function upsertStaffAccount(
  tx: DbOrTx,
  v: { tenantId: string; name: string; email: string; roles: PermissionRole[]; passwordHash: string },
): Promise<string> {
  return upsertStaff(tx, v);
}

/** Ends the person's sessions, all of them or all but `exceptSessionId`; how many ended. */
export function endSessionsOf(tx: DbOrTx, tenantId: string, userId: string, exceptSessionId?: string) {
  return deleteSessionsOfUser(tx, tenantId, userId, exceptSessionId);
}

/** Forgets the failed logins of an address (a reset by an admin, a new password); how many went. */
export function clearLoginFailures(tx: DbOrTx, emailHash: string): Promise<number> {
  return clearFailures(tx, emailHash);
}

/** Housekeeping: staff sessions past their expiry, up to `limit`; how many went. */
export function purgeExpiredStaffSessions(db: DbOrTx, limit: number): Promise<number> {
  return deleteExpiredStaffSessions(db, limit);
}

/** Housekeeping: failed logins older than the lockout window, up to `limit`; how many went. */
export function purgeOldLoginFailures(db: DbOrTx, keptForMs: number, limit: number): Promise<number> {
  return deleteOldStaffLoginFailures(db, keptForMs, limit);
}
