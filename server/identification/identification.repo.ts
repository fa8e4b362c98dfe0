import { and, eq, inArray, isNull, like, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import {
  customers,
  identificationCandidates,
  places,
  type Customer,
  type Place,
} from '../db/schema/index.ts';

/** Places of the tenant whose POD/CLC, contract or meter number is among `codes` (compared without spaces). */
export async function placesByCodes(db: DbOrTx, tenantId: string, codes: string[]) {
  if (!codes.length) return [];
  return db
    .select()
    .from(places)
    .where(
      and(
        eq(places.tenantId, tenantId),
        or(
          inArray(sql`upper(${places.placeCode})`, codes),
          inArray(sql`upper(replace(coalesce(${places.contractNumber}, ''), ' ', ''))`, codes),
          inArray(sql`upper(coalesce(${places.meterSerial}, ''))`, codes),
        ),
      ),
    )
    .limit(100);
}

export async function customersByCodes(db: DbOrTx, tenantId: string, codes: string[]) {
  if (!codes.length) return [];
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), inArray(customers.customerCode, codes)))
    .limit(100);
}

/** Customers reached by e-mail, phone (national form) or a name word prefix (`fold`ed, 3+ letters). */
export async function customersByContact(
  db: DbOrTx,
  tenantId: string,
  q: { emails: string[]; phones: string[]; namePrefixes: string[] },
): Promise<Customer[]> {
  const phoneVariants = q.phones.flatMap((p) =>
    p.startsWith('0') ? [p, `40${p.slice(1)}`, `0040${p.slice(1)}`] : [p],
  );
  const conds = [
    q.emails.length ? inArray(sql`lower(${customers.email})`, q.emails) : undefined,
    phoneVariants.length
      ? inArray(sql`regexp_replace(coalesce(${customers.phone}, ''), '\\D', '', 'g')`, phoneVariants)
      : undefined,
    ...q.namePrefixes.map((p) => like(customers.searchText, `${p}%`)),
    ...q.namePrefixes.map((p) => like(customers.searchText, `% ${p}%`)),
  ].filter((c) => c !== undefined);
  if (!conds.length) return [];
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), or(...conds)))
    .limit(300);
}

export async function customersByIds(db: DbOrTx, tenantId: string, ids: string[]): Promise<Customer[]> {
  if (!ids.length) return [];
  return db
    .select()
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), inArray(customers.id, ids)));
}

export async function placesOfCustomers(
  db: DbOrTx,
  tenantId: string,
  customerIds: string[],
): Promise<Place[]> {
  if (!customerIds.length) return [];
  return db
    .select()
    .from(places)
    .where(and(eq(places.tenantId, tenantId), inArray(places.customerId, customerIds)));
}

export async function insertCandidates(
  db: DbOrTx,
  rows: Array<typeof identificationCandidates.$inferInsert>,
): Promise<void> {
  if (rows.length) await db.insert(identificationCandidates).values(rows);
}

export function listCandidatesOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .select()
    .from(identificationCandidates)
    .where(and(eq(identificationCandidates.tenantId, tenantId), eq(identificationCandidates.caseId, caseId)))
    .orderBy(sql`${identificationCandidates.score} desc`);
}

export async function placesByIds(db: DbOrTx, tenantId: string, ids: string[]): Promise<Place[]> {
  if (!ids.length) return [];
  return db
    .select()
    .from(places)
    .where(and(eq(places.tenantId, tenantId), inArray(places.id, ids)));
}

/** The officer's choice: the open candidates of that customer on the case are marked confirmed. */
export async function confirmCandidates(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  customerId: string,
  confirmedBy: string,
) {
  await db
    .update(identificationCandidates)
    .set({ confirmedBy, confirmedAt: new Date() })
    .where(
      and(
        eq(identificationCandidates.tenantId, tenantId),
        eq(identificationCandidates.caseId, caseId),
        eq(identificationCandidates.customerId, customerId),
        isNull(identificationCandidates.confirmedAt),
      ),
    );
}

/** Retention and erasure: the evidence that named the person goes; the candidate's score and choice stay. */
export async function anonymiseCandidatesOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  await db
    .update(identificationCandidates)
    .set({ evidence: [] })
    .where(and(eq(identificationCandidates.caseId, caseId), eq(identificationCandidates.tenantId, tenantId)));
}
