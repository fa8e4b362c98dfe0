import { appendAudit } from '../audit/index.ts';
import { type RegisterDeps } from '../intake/index.ts';
import type { ConsumerPrincipal } from './portal-auth.service.ts';
import { createPortalCaseViewService } from './portal-case-view.service.ts';
import { createPortalLinkService } from './portal-link.service.ts';
import { listLinkedCustomers, listLinkedPlaces } from './portal-links.repo.ts';
import { createPortalSubmissionsService } from './portal-submissions.service.ts';

export { LINK_LIMITS, LINK_WINDOW_MS, type LinkProof } from './portal-link.service.ts';
export type { NewPortalComplaint } from './portal-submissions.service.ts';

/**
 * The consumer portal's domain: link a customer account, see one's places and cases, submit a complaint (through
 * the one `registerComplaint`, channel portal), download one's documents, add information to an open case.
 * Every query is scoped by the session's tenant and account; a case that is not one's own does not exist.
 * Each part lives in its own file: linking (portal-link.service.ts), reading one's cases
 * (portal-case-view.service.ts), sending (portal-submissions.service.ts); this one is the account itself.
 */
export function createPortalService(deps: RegisterDeps) {
  const { db } = deps;

  async function account(p: ConsumerPrincipal) {
    const [customers, places] = await Promise.all([
      listLinkedCustomers(db, p.tenantId, p.accountId),
      listLinkedPlaces(db, p.tenantId, p.accountId),
    ]);
    return {
      email: p.email,
      supplier: p.supplier,
      tenantCode: p.tenantCode,
      sessionExpiresAt: p.sessionExpiresAt.toISOString(),
      customers: customers.map((c) => ({ customerCode: c.customerCode, name: c.name })),
      placeCount: places.length,
    };
  }

  async function placesOf(p: ConsumerPrincipal) {
    const rows = await listLinkedPlaces(db, p.tenantId, p.accountId);
    if (rows.length)
      await appendAudit(db, {
        tenantId: p.tenantId,
        actorId: p.accountId,
        actorKind: 'consumer',
        action: 'portal.places_viewed',
        entityType: 'consumer_account',
        entityId: p.accountId,
        details: { places: rows.length },
      });
    return rows;
  }

  return {
    account,
    placesOf,
    ...createPortalLinkService(deps),
    ...createPortalCaseViewService(deps),
    ...createPortalSubmissionsService(deps),
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
