import type { DbOrTx } from '../db/client.ts';
import { appendAudit, logAccess } from '../audit/index.ts';
import type { Principal } from '../auth/index.ts';
import * as repo from './customers.repo.ts';

export type CustomerFile = Awaited<ReturnType<typeof repo.searchCustomers>>[number];

/**
 * One-box search over the tenant's customers (name, phone, e-mail, customer code, POD/CLC, contract, meter,
 * address). Searching reads personal data: the audit records who searched (not what), and the access log names
 * every customer the search showed, with what led there (`via`).
 */
export async function findCustomers(
  db: DbOrTx,
  p: Principal,
  q: string,
  via: string,
): Promise<CustomerFile[]> {
  const found = await repo.searchCustomers(db, p.tenantId, q);
  await appendAudit(db, {
    tenantId: p.tenantId,
    actorId: p.userId,
    actorKind: 'user',
    action: 'customer.searched',
    entityType: 'customer',
    entityId: '*',
    details: { results: found.length },
  });
  await logAccess(
    db,
    found.map((c) => ({
      tenantId: p.tenantId,
      actorId: p.userId,
      subjectType: 'customer' as const,
      subjectId: c.id,
      customerId: c.id,
      via,
    })),
  );
  return found;
}

export function getCustomer(db: DbOrTx, tenantId: string, customerId: string) {
  return repo.getCustomer(db, tenantId, customerId);
}

export function getPlace(db: DbOrTx, tenantId: string, placeId: string) {
  return repo.getPlace(db, tenantId, placeId);
}

/** Loads a customer file with its places of consumption (the demo and test data sets), idempotently. */
export async function importCustomer(
  db: DbOrTx,
  tenantId: string,
  c: Omit<Parameters<typeof repo.upsertCustomer>[1], 'tenantId'>,
  places: Array<Omit<Parameters<typeof repo.insertPlace>[1], 'tenantId' | 'customerId'>>,
): Promise<string | null> {
  const id = await repo.upsertCustomer(db, { ...c, tenantId });
  if (!id) return null;
  for (const p of places) await repo.insertPlace(db, { ...p, tenantId, customerId: id });
  return id;
}
