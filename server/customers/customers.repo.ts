import { and, asc, eq, inArray, like, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { customers, places } from '../db/schema/index.ts';
import { likePattern } from '../db/search-text.ts';

/** One-box search over name, phone, e-mail, customer code, address and the codes of the customer's places. */
export async function searchCustomers(db: DbOrTx, tenantId: string, q: string, limit = 20) {
  const pattern = likePattern(q);
  const digits = q.replace(/\D/g, '');
  const placeMatch = db
    .select({ customerId: places.customerId })
    .from(places)
    .where(
      and(
        eq(places.tenantId, tenantId),
        or(
          like(sql`lower(${places.placeCode})`, pattern),
          like(sql`lower(coalesce(${places.contractNumber}, ''))`, pattern),
          like(sql`lower(coalesce(${places.meterSerial}, ''))`, pattern),
        ),
      ),
    );
  const found = await db
    .select()
    .from(customers)
    .where(
      and(
        eq(customers.tenantId, tenantId),
        or(
          like(customers.searchText, pattern),
          digits.length >= 6 ? like(customers.phone, `%${digits}%`) : undefined,
          inArray(customers.id, placeMatch),
        ),
      ),
    )
    .orderBy(asc(customers.name))
    .limit(limit);
  const placeRows = found.length
    ? await db
        .select()
        .from(places)
        .where(
          and(
            eq(places.tenantId, tenantId),
            inArray(
              places.customerId,
              found.map((c) => c.id),
            ),
          ),
        )
        .orderBy(asc(places.placeCode))
    : [];
  return found.map((c) => ({ ...c, places: placeRows.filter((p) => p.customerId === c.id) }));
}

export async function getCustomer(db: DbOrTx, tenantId: string, customerId: string) {
  const [c] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.id, customerId)))
    .limit(1);
  return c ?? null;
}

export async function getPlace(db: DbOrTx, tenantId: string, placeId: string) {
  const [p] = await db
    .select()
    .from(places)
    .where(and(eq(places.tenantId, tenantId), eq(places.id, placeId)))
    .limit(1);
  return p ?? null;
}
