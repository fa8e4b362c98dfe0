/**
 * Links between a portal account and customer accounts at the supplier: the wrong-try counts, the place that
 * proves a link, and what an account is linked to.
 */
import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { consumerAccountLinks, customers, places, portalLinkAttempts } from '../db/schema/index.ts';

// --- customer account links -------------------------------------------------------------------------------------

/**
 * Wrong linking tries since `since`: by this portal account, from this client address (any supplier), and on this
 * customer code at this supplier (from any account or address).
 */
export async function countFailedLinkAttempts(
  db: DbOrTx,
  q: { tenantId: string; accountId: string; ipHash: string; customerCode: string; since: Date },
) {
  const a = portalLinkAttempts;
  const [row] = await db
    .select({
      byAccount: sql<number>`count(*) filter (where ${a.accountId} = ${q.accountId})`.mapWith(Number),
      byAddress: sql<number>`count(*) filter (where ${a.ipHash} = ${q.ipHash})`.mapWith(Number),
      byCustomer:
        sql<number>`count(*) filter (where ${a.tenantId} = ${q.tenantId} and ${a.customerCode} = ${q.customerCode})`.mapWith(
          Number,
        ),
    })
    .from(a)
    .where(
      and(
        eq(a.success, false),
        gt(a.at, q.since),
        or(
          eq(a.accountId, q.accountId),
          eq(a.ipHash, q.ipHash),
          and(eq(a.tenantId, q.tenantId), eq(a.customerCode, q.customerCode)),
        ),
      ),
    );
  return { byAccount: row?.byAccount ?? 0, byAddress: row?.byAddress ?? 0, byCustomer: row?.byCustomer ?? 0 };
}

export async function recordLinkAttempt(
  db: DbOrTx,
  row: { tenantId: string; accountId: string; ipHash: string; customerCode: string; success: boolean },
) {
  await db.insert(portalLinkAttempts).values(row);
}

/** Compares codes the way people type them: case, spaces and dashes do not matter. */
const norm = (v: unknown) => sql`upper(regexp_replace(${v}, '[\\s-]', '', 'g'))`;
export const normaliseCode = (v: string) => v.toUpperCase().replace(/[\s-]/g, '');

/**
 * The place of this supplier with this customer code and POD/CLC, with the two second factors kept on it (the
 * caller compares them in constant time), or null.
 */
export async function findPlaceForLink(
  db: DbOrTx,
  tenantId: string,
  customerCode: string,
  placeCode: string,
) {
  const [row] = await db
    .select({
      customerId: customers.id,
      placeId: places.id,
      contractNumber: places.contractNumber,
      meterSerial: places.meterSerial,
    })
    .from(places)
    .innerJoin(customers, and(eq(customers.id, places.customerId), eq(customers.tenantId, tenantId)))
    .where(
      and(
        eq(places.tenantId, tenantId),
        sql`${norm(customers.customerCode)} = ${normaliseCode(customerCode)}`,
        sql`${norm(places.placeCode)} = ${normaliseCode(placeCode)}`,
      ),
    )
    .limit(1);
  return row ?? null;
}

export async function insertLink(
  db: DbOrTx,
  row: { accountId: string; customerId: string; tenantId: string },
) {
  await db.insert(consumerAccountLinks).values(row).onConflictDoNothing();
}

/** The ids of the customer accounts linked to this consumer account (same tenant only). */
export function linkedCustomerIds(db: DbOrTx, tenantId: string, accountId: string) {
  return db
    .select({ id: consumerAccountLinks.customerId })
    .from(consumerAccountLinks)
    .where(and(eq(consumerAccountLinks.tenantId, tenantId), eq(consumerAccountLinks.accountId, accountId)));
}

export async function listLinkedCustomers(db: DbOrTx, tenantId: string, accountId: string) {
  return db
    .select({ id: customers.id, customerCode: customers.customerCode, name: customers.name })
    .from(customers)
    .where(
      and(
        eq(customers.tenantId, tenantId),
        inArray(customers.id, linkedCustomerIds(db, tenantId, accountId)),
      ),
    )
    .orderBy(asc(customers.customerCode));
}

export async function listLinkedPlaces(db: DbOrTx, tenantId: string, accountId: string) {
  return db
    .select({
      id: places.id,
      placeCode: places.placeCode,
      energy: places.energy,
      address: places.address,
      contractNumber: places.contractNumber,
      customerId: customers.id,
      customerCode: customers.customerCode,
      customerName: customers.name,
    })
    .from(places)
    .innerJoin(customers, eq(customers.id, places.customerId))
    .where(
      and(
        eq(places.tenantId, tenantId),
        eq(customers.tenantId, tenantId),
        inArray(places.customerId, linkedCustomerIds(db, tenantId, accountId)),
      ),
    )
    .orderBy(asc(customers.customerCode), asc(places.placeCode));
}

/** Linking tries counted together wait for each other; `keys` taken in one order, so two tries cannot deadlock. */
export async function lockLinkKeys(tx: DbOrTx, keys: string[]) {
  for (const key of [...keys].sort())
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}
