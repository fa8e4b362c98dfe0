import type { DbOrTx } from '../db/client.ts';
import {
  deleteRegistrationKeysBefore,
  findRegistrationByKey,
  insertRegistration,
  isDuplicateKey,
  type RegistrationRow,
} from './registration.repo.ts';

export { findRegistrationByKey, isDuplicateKey };

export type { RegistrationRow };

/**
 * Writes a registration: number, case, first event, process-start outbox row and audit entry (registration.repo.ts),
 * in one statement: its own transaction, or the caller's. intake/register-complaint.ts is the one caller: every
 * channel ends there.
 */
export function recordRegistration(tx: DbOrTx, r: RegistrationRow) {
  return insertRegistration(tx, r);
}

/** How long a registration's Idempotency-Key is kept: a client's retries come within minutes, this is ample. */
export const REGISTRATION_KEY_KEPT_MS = 7 * 24 * 3600 * 1000;

/** Housekeeping: forgets the Idempotency-Keys older than REGISTRATION_KEY_KEPT_MS, at most `limit` of them. */
export function purgeOldRegistrationKeys(db: DbOrTx, limit: number, now = Date.now()): Promise<number> {
  return deleteRegistrationKeysBefore(db, new Date(now - REGISTRATION_KEY_KEPT_MS), limit);
}
