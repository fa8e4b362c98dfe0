import type { Db } from '../db/client.ts';
import { appendAudit } from '../audit/index.ts';
import { DomainError } from '../errors.ts';
import type { ConsumerPrincipal } from './portal-auth.service.ts';
import {
  countFailedLinkAttempts,
  findPlaceForLink,
  insertLink,
  listLinkedPlaces,
  normaliseCode,
  recordLinkAttempt,
  lockLinkKeys,
} from './portal-links.repo.ts';
import { checkFactors } from './link-proof.ts';
import { clientAddressHash } from './secrets.ts';

/**
 * Wrong tries at linking a customer account, counted over 24 hours: per portal account (e-mail address), per
 * customer code at the supplier (whatever the account or address) and per client address (whatever the account or
 * customer). Over any of them the answer is the one a wrong try gets.
 */
export const LINK_LIMITS = { perAccount: 5, perCustomer: 10, perAddress: 20 } as const;
export const LINK_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What the consumer types from the invoice: customer code and POD/CLC, and both second factors. */
export interface LinkProof {
  customerCode: string;
  placeCode: string;
  contractNumber: string;
  meterSerial: string;
}

/** Linking a portal account to a customer account at the supplier, proven by what is printed on the invoice. */
export function createPortalLinkService(deps: { db: Db; secret: string }) {
  const { db } = deps;

  /**
   * Links a customer account when customer code, POD/CLC, contract number and meter serial all belong to the same
   * place of this supplier. Every failure gets one answer (PORTAL_LINK_REFUSED: same status, code and message),
   * whether the data was wrong, a limit was reached or the place on file lacks a factor, and takes the same path
   * (lookup, constant-time compare, attempt recorded, audit), so a caller cannot tell which (issue 13 item 5).
   */
  async function link(p: ConsumerPrincipal, proof: LinkProof, clientAddress: string) {
    if (!proof.contractNumber.trim() || !proof.meterSerial.trim())
      throw new DomainError('PORTAL_LINK_PROOF_REQUIRED');
    const customerCode = normaliseCode(proof.customerCode);
    const ipHash = clientAddressHash(deps.secret, clientAddress);
    const outcome = await db.transaction(async (tx) => {
      // One try at a time per account, per client address and per customer code, so parallel tries cannot pass a
      // count together. Taken in one order, so two tries sharing two keys cannot deadlock.
      const keys = [
        `portal-link:account:${p.accountId}`,
        `portal-link:address:${ipHash}`,
        `portal-link:customer:${p.tenantId}:${customerCode}`,
      ].sort();
      await lockLinkKeys(tx, keys);
      const failures = await countFailedLinkAttempts(tx, {
        tenantId: p.tenantId,
        accountId: p.accountId,
        ipHash,
        customerCode,
        since: new Date(Date.now() - LINK_WINDOW_MS),
      });
      const locked =
        failures.byAccount >= LINK_LIMITS.perAccount ||
        failures.byCustomer >= LINK_LIMITS.perCustomer ||
        failures.byAddress >= LINK_LIMITS.perAddress;
      // Looked up and compared also when locked, so a locked try takes as long as a wrong one.
      const place = await findPlaceForLink(tx, p.tenantId, proof.customerCode, proof.placeCode);
      const check = checkFactors(place, proof);
      const match = !locked && check === 'match' && place ? place : null;
      await recordLinkAttempt(tx, {
        tenantId: p.tenantId,
        accountId: p.accountId,
        ipHash,
        customerCode,
        success: match !== null,
      });
      if (match)
        await insertLink(tx, { accountId: p.accountId, customerId: match.customerId, tenantId: p.tenantId });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.accountId,
        actorKind: 'consumer',
        action: match ? 'portal.customer_linked' : 'portal.link_failed',
        entityType: 'consumer_account',
        entityId: p.accountId,
        // For the supplier's staff only: why a try failed (a place lacking a factor needs their attention).
        details: match
          ? { customerId: match.customerId, placeId: match.placeId }
          : { reason: locked ? 'limit_reached' : check, failures },
      });
      return match;
    });
    if (!outcome) throw new DomainError('PORTAL_LINK_REFUSED');
    const places = await listLinkedPlaces(db, p.tenantId, p.accountId);
    return { places: places.filter((x) => x.customerId === outcome.customerId) };
  }

  return { link };
}
