/**
 * The portal's sign-in records: one-time codes (their limits), consumer accounts and sessions, and the suppliers
 * one can choose at login.
 */
import { and, asc, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { consumerAccounts, consumerSessions, portalLoginCodes, tenants } from '../db/schema/index.ts';

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

// --- suppliers --------------------------------------------------------------------------------------------------

export async function listSuppliers(db: DbOrTx) {
  return db.select({ code: tenants.code, name: tenants.name }).from(tenants).orderBy(asc(tenants.name));
}

/** One code request per address at a time (every supplier), so two parallel requests cannot both pass the count. */
export async function lockCodeRequests(tx: DbOrTx, email: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${'portal-code:' + email}, 0))`);
}

const countOf = (result: unknown) => (result as { count?: number }).count ?? 0;

/*
 * Housekeeping's purges (server/housekeeping) of this module's tables. Every delete takes at most `limit` rows,
 * so one statement holds its row locks briefly and a large backlog goes in several short transactions.
 */

/** Consumer (portal) sessions past their expiry (up to `limit`); returns how many went. */
export async function deleteExpiredConsumerSessions(db: DbOrTx, limit: number): Promise<number> {
  return countOf(
    await db.execute(sql`
      delete from consumer_sessions
       where id in (select id from consumer_sessions where expires_at < now() limit ${limit})
         and expires_at < now()`),
  );
}

/**
 * One-time login codes that are used or expired and were asked for more than `keptForMs` ago (up to `limit`).
 * The rows also count code requests per address and per client address, so a spent code must outlive the
 * longest rate-limit window; removing it sooner would let more codes be asked for.
 */
export async function deleteSpentLoginCodes(db: DbOrTx, keptForMs: number, limit: number): Promise<number> {
  const before = new Date(Date.now() - keptForMs).toISOString();
  return countOf(
    await db.execute(sql`
      delete from portal_login_codes
       where id in (select id from portal_login_codes
                     where created_at < ${before} and (consumed_at is not null or expires_at < now())
                     limit ${limit})`),
  );
}
