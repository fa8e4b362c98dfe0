import { and, asc, eq, inArray, like, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { customers, places } from '../db/schema/index.ts';
import { likePattern, searchText } from '../db/search-text.ts';

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

/** Creates a customer file, or renames the one with that code (the demo seed runs at every start). */
export async function upsertCustomer(
  db: DbOrTx,
  c: Omit<typeof customers.$inferInsert, 'id' | 'searchText'>,
) {
  const [row] = await db
    .insert(customers)
    .values({ ...c, searchText: searchText(c.name, c.customerCode, c.email, c.phone, c.address) })
    .onConflictDoUpdate({ target: [customers.tenantId, customers.customerCode], set: { name: c.name } })
    .returning({ id: customers.id });
  return row?.id ?? null;
}

/** Adds a place of consumption unless the customer has it already. */
export async function insertPlace(db: DbOrTx, p: Omit<typeof places.$inferInsert, 'id'>) {
  await db.insert(places).values(p).onConflictDoNothing();
}
