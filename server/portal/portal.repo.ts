import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import {
  cases,
  consumerAccountLinks,
  consumerAccounts,
  consumerSessions,
  customers,
  places,
  portalFiles,
  portalLinkAttempts,
  portalLoginCodes,
  portalSubmissions,
  tenants,
} from '../db/schema/index.ts';

// --- one-time codes ---------------------------------------------------------------------------------------------

/** Codes requested for this address (all suppliers) since `emailSince`, and from this client address since `ipSince`. */
export async function countRecentCodes(
  db: DbOrTx,
  q: { email: string; ipHash: string; emailSince: Date; ipSince: Date },
) {
  const [row] = await db
    .select({
      byEmail:
        sql<number>`count(*) filter (where ${portalLoginCodes.email} = ${q.email} and ${portalLoginCodes.createdAt} > ${q.emailSince.toISOString()})`.mapWith(
          Number,
        ),
      byIp: sql<number>`count(*) filter (where ${portalLoginCodes.ipHash} = ${q.ipHash} and ${portalLoginCodes.createdAt} > ${q.ipSince.toISOString()})`.mapWith(
        Number,
      ),
    })
    .from(portalLoginCodes)
    .where(
      and(
        gt(portalLoginCodes.createdAt, q.emailSince < q.ipSince ? q.emailSince : q.ipSince),
        or(eq(portalLoginCodes.email, q.email), eq(portalLoginCodes.ipHash, q.ipHash)),
      ),
    );
  return { byEmail: row?.byEmail ?? 0, byIp: row?.byIp ?? 0 };
}

export async function insertLoginCode(db: DbOrTx, row: typeof portalLoginCodes.$inferInsert) {
  await db.insert(portalLoginCodes).values(row);
}

/** The newest unused code for the address at this supplier (older ones no longer count), locked for update. */
export async function latestLoginCodeForUpdate(db: DbOrTx, tenantId: string, email: string) {
  const [row] = await db
    .select()
    .from(portalLoginCodes)
    .where(
      and(
        eq(portalLoginCodes.tenantId, tenantId),
        eq(portalLoginCodes.email, email),
        isNull(portalLoginCodes.consumedAt),
      ),
    )
    .orderBy(desc(portalLoginCodes.createdAt), desc(portalLoginCodes.id))
    .limit(1)
    .for('update');
  return row ?? null;
}

export async function recordWrongCode(db: DbOrTx, id: number) {
  const [row] = await db
    .update(portalLoginCodes)
    .set({ attempts: sql`${portalLoginCodes.attempts} + 1` })
    .where(eq(portalLoginCodes.id, id))
    .returning({ attempts: portalLoginCodes.attempts });
  return row?.attempts ?? 0;
}

/** Codes of the address older than `before` (past every limit window) and the account's expired sessions go. */
export async function pruneForAccount(db: DbOrTx, email: string, accountId: string, before: Date) {
  await db
    .delete(portalLoginCodes)
    .where(and(eq(portalLoginCodes.email, email), lt(portalLoginCodes.createdAt, before)));
  await db
    .delete(consumerSessions)
    .where(and(eq(consumerSessions.accountId, accountId), lt(consumerSessions.expiresAt, new Date())));
}

export async function consumeLoginCode(db: DbOrTx, id: number) {
  await db.update(portalLoginCodes).set({ consumedAt: new Date() }).where(eq(portalLoginCodes.id, id));
}

// --- accounts and sessions --------------------------------------------------------------------------------------

/** The account for the address at this supplier, created on first login. */
export async function upsertAccount(db: DbOrTx, tenantId: string, email: string) {
  const [row] = await db
    .insert(consumerAccounts)
    .values({ tenantId, email, lastLoginAt: new Date() })
    .onConflictDoUpdate({
      target: [consumerAccounts.tenantId, consumerAccounts.email],
      set: { lastLoginAt: new Date() },
    })
    .returning();
  if (!row) throw new Error('consumer account not written');
  return row;
}

export async function insertSession(
  db: DbOrTx,
  row: { id: string; accountId: string; tenantId: string; expiresAt: Date },
) {
  await db.insert(consumerSessions).values(row);
}

export async function findSession(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      session: consumerSessions,
      email: consumerAccounts.email,
      tenantCode: tenants.code,
      tenantName: tenants.name,
    })
    .from(consumerSessions)
    .innerJoin(consumerAccounts, eq(consumerAccounts.id, consumerSessions.accountId))
    .innerJoin(tenants, eq(tenants.id, consumerSessions.tenantId))
    .where(and(eq(consumerSessions.id, id), eq(consumerAccounts.tenantId, consumerSessions.tenantId)))
    .limit(1);
  return row ?? null;
}

export async function extendSession(db: DbOrTx, id: string, expiresAt: Date) {
  await db.update(consumerSessions).set({ expiresAt }).where(eq(consumerSessions.id, id));
}

export async function deleteSession(db: DbOrTx, id: string) {
  await db.delete(consumerSessions).where(eq(consumerSessions.id, id));
}

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
function linkedCustomerIds(db: DbOrTx, tenantId: string, accountId: string) {
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

// --- cases ------------------------------------------------------------------------------------------------------

/**
 * A consumer's own cases: those of a linked customer account (whatever the channel) and those the account
 * submitted through the portal. Nothing else, whatever number is asked for.
 */
function ownCaseCondition(db: DbOrTx, tenantId: string, accountId: string) {
  return and(
    eq(cases.tenantId, tenantId),
    or(
      inArray(cases.customerId, linkedCustomerIds(db, tenantId, accountId)),
      inArray(
        cases.id,
        db
          .select({ id: portalSubmissions.caseId })
          .from(portalSubmissions)
          .where(
            and(
              eq(portalSubmissions.tenantId, tenantId),
              eq(portalSubmissions.accountId, accountId),
              eq(portalSubmissions.kind, 'complaint'),
            ),
          ),
      ),
    ),
  );
}

const caseColumns = {
  id: cases.id,
  number: cases.number,
  status: cases.status,
  channel: cases.channel,
  category: cases.category,
  subject: cases.subject,
  receivedAt: cases.receivedAt,
  registeredOn: cases.registeredOn,
  dueDate: cases.dueDate,
  answerSentAt: cases.answerSentAt,
  placeCode: places.placeCode,
};

export async function listOwnCases(db: DbOrTx, tenantId: string, accountId: string, limit = 200) {
  return db
    .select(caseColumns)
    .from(cases)
    .leftJoin(places, eq(places.id, cases.placeId))
    .where(ownCaseCondition(db, tenantId, accountId))
    .orderBy(desc(cases.receivedAt), desc(cases.seq))
    .limit(limit);
}

export async function getOwnCase(db: DbOrTx, tenantId: string, accountId: string, number: string) {
  const [row] = await db
    .select({ ...caseColumns, body: cases.body, address: places.address })
    .from(cases)
    .leftJoin(places, eq(places.id, cases.placeId))
    .where(and(eq(cases.number, number), ownCaseCondition(db, tenantId, accountId)))
    .limit(1);
  return row ?? null;
}

// --- submissions and files --------------------------------------------------------------------------------------

export async function insertSubmission(db: DbOrTx, row: typeof portalSubmissions.$inferInsert) {
  const [created] = await db.insert(portalSubmissions).values(row).returning({ id: portalSubmissions.id });
  if (!created) throw new Error('portal submission not written');
  return created.id;
}

export async function insertFiles(db: DbOrTx, rows: Array<typeof portalFiles.$inferInsert>) {
  if (!rows.length) return [];
  return db.insert(portalFiles).values(rows).returning();
}

export async function markSubmissionCorrelated(db: DbOrTx, id: string, correlated: boolean | null) {
  await db.update(portalSubmissions).set({ correlated }).where(eq(portalSubmissions.id, id));
}

export async function listSubmissionsOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  const subs = await db
    .select({
      id: portalSubmissions.id,
      kind: portalSubmissions.kind,
      text: portalSubmissions.text,
      createdAt: portalSubmissions.createdAt,
    })
    .from(portalSubmissions)
    .where(and(eq(portalSubmissions.tenantId, tenantId), eq(portalSubmissions.caseId, caseId)))
    .orderBy(asc(portalSubmissions.createdAt));
  const files = await listFilesOfCase(db, tenantId, caseId);
  return subs.map((s) => ({ ...s, files: files.filter((f) => f.submissionId === s.id) }));
}

export function listFilesOfCase(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .select()
    .from(portalFiles)
    .where(and(eq(portalFiles.tenantId, tenantId), eq(portalFiles.caseId, caseId)))
    .orderBy(asc(portalFiles.id));
}

export async function getFileOfCase(db: DbOrTx, tenantId: string, caseId: string, id: number) {
  const [row] = await db
    .select()
    .from(portalFiles)
    .where(and(eq(portalFiles.tenantId, tenantId), eq(portalFiles.caseId, caseId), eq(portalFiles.id, id)));
  return row ?? null;
}

export async function listSuppliers(db: DbOrTx) {
  return db.select({ code: tenants.code, name: tenants.name }).from(tenants).orderBy(asc(tenants.name));
}
