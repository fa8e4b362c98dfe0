import type { DbOrTx } from '../db/client.ts';
import { insertRegistration, type RegistrationRow } from './registration.repo.ts';

export type { RegistrationRow };

/**
 * Writes a registration: number, case, first event and process-start outbox row (registration.repo.ts), in the
 * caller's transaction, which must also write the audit entry. intake/register-complaint.ts is the one caller:
 * every channel ends there.
 */
export function recordRegistration(tx: DbOrTx, r: RegistrationRow) {
  return insertRegistration(tx, r);
}
