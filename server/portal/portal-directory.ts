import type { DbOrTx } from '../db/client.ts';
import { listLinkedCustomers } from './portal-links.repo.ts';
import {
  deleteExpiredConsumerSessions,
  deleteSpentLoginCodes,
  listSuppliers,
  upsertAccount,
} from './portal-login.repo.ts';
import { anonymiseSubmissionsOfCase } from './retention.repo.ts';

/*
 * What others ask the portal module besides its services: the suppliers a consumer picks from, a consumer's account
 * and its linked customers (the demo seed sets up its portal customer), and retention's part of a case.
 */

/** Every supplier of the installation, by name (the portal's first page). */
export function portalSuppliers(db: DbOrTx) {
  return listSuppliers(db);
}

/** The consumer account of this address at the supplier, created when it is the first sign-in. */
export function ensureConsumerAccount(db: DbOrTx, tenantId: string, email: string) {
  return upsertAccount(db, tenantId, email);
}

/** The customer accounts a portal account is linked to. */
export function linkedCustomersOf(db: DbOrTx, tenantId: string, accountId: string) {
  return listLinkedCustomers(db, tenantId, accountId);
}

/** Retention and erasure: what the consumer wrote in the portal about the case goes, in the purge transaction. */
export function anonymisePortalSubmissionsOfCase(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  removed: string,
) {
  return anonymiseSubmissionsOfCase(db, tenantId, caseId, removed);
}

/** Housekeeping: consumer sessions past their expiry, up to `limit`; how many went. */
export function purgeExpiredConsumerSessions(db: DbOrTx, limit: number): Promise<number> {
  return deleteExpiredConsumerSessions(db, limit);
}

/**
 * Housekeeping: spent or expired one-time codes asked for more than `keptForMs` ago, up to `limit` (they count
 * code requests for the rate limits, so they outlive the longest window).
 */
export function purgeSpentLoginCodes(db: DbOrTx, keptForMs: number, limit: number): Promise<number> {
  return deleteSpentLoginCodes(db, keptForMs, limit);
}
