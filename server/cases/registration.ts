import type { DbOrTx } from '../db/client.ts';
import {
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
