import { and, count, eq, gt, isNull, lt, max, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import {
  type PermissionRole,
  sessions,
  staffLoginFailures,
  staffRecoveryCodes,
  tenants,
  users,
} from '../db/schema/index.ts';

/**
 * One account tried from one client address at a time (both as HMACs), for the rest of the transaction: parallel
 * guesses cannot all pass the count before one is recorded.
 */
export async function lockLoginPair(db: DbOrTx, emailHash: string, addressHash: string) {
  await db.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${`staff-login:${emailHash}:${addressHash}`}, 0))`,
  );
}

/** Failures of the account from the address since `since`, and the latest of them. */
export async function pairFailures(db: DbOrTx, emailHash: string, addressHash: string, since: Date) {
  const [row] = await db
    .select({ n: count(), last: max(staffLoginFailures.at) })
    .from(staffLoginFailures)
    .where(
      and(
        eq(staffLoginFailures.emailHash, emailHash),
        eq(staffLoginFailures.addressHash, addressHash),
        gt(staffLoginFailures.at, since),
      ),
    );
  return { n: row?.n ?? 0, last: row?.last ?? null };
}

export async function recordFailure(db: DbOrTx, emailHash: string, addressHash: string) {
  await db.insert(staffLoginFailures).values({ emailHash, addressHash });
}

/** After a complete sign-in from the address: its failures go; those from other addresses stay. */
export async function clearPairFailures(db: DbOrTx, emailHash: string, addressHash: string) {
  await db
    .delete(staffLoginFailures)
    .where(and(eq(staffLoginFailures.emailHash, emailHash), eq(staffLoginFailures.addressHash, addressHash)));
}

export async function findUserByEmail(db: DbOrTx, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row ?? null;
}

/** The person's account row, locked for the rest of the transaction (TOTP step, enrolment, recovery codes). */
export async function getUserForUpdate(db: DbOrTx, tenantId: string, userId: string) {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
    .for('update')
    .limit(1);
  return row ?? null;
}

export async function setTotp(
  db: DbOrTx,
  tenantId: string,
  userId: string,
  set: Partial<{
    totpSecret: string | null;
    totpEnabledAt: Date | null;
    totpLastStep: number | null;
    totpPendingSecret: string | null;
  }>,
) {
  await db
    .update(users)
    .set(set)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
}

export async function insertSession(
  db: DbOrTx,
  v: { id: string; userId: string; tenantId: string; expiresAt: Date; stage: 'password' | 'full' },
) {
  await db.insert(sessions).values(v);
}

export async function updateSession(
  db: DbOrTx,
  id: string,
  set: Partial<{
    stage: 'password' | 'full';
    expiresAt: Date;
    authenticatedAt: Date;
    secondFactorFailures: number;
  }>,
) {
  await db.update(sessions).set(set).where(eq(sessions.id, id));
}

export async function getSessionForUpdate(db: DbOrTx, id: string) {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id)).for('update').limit(1);
  return row ?? null;
}

export async function deleteSession(db: DbOrTx, id: string) {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Replaces the person's recovery codes with these (their HMACs). */
export async function replaceRecoveryCodes(db: DbOrTx, tenantId: string, userId: string, hashes: string[]) {
  await db.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.userId, userId));
  if (hashes.length)
    await db.insert(staffRecoveryCodes).values(hashes.map((codeHash) => ({ tenantId, userId, codeHash })));
}

/** Spends an unused code of the person; false when there is none with this hash. */
export async function spendRecoveryCode(db: DbOrTx, userId: string, codeHash: string): Promise<boolean> {
  const rows = await db
    .update(staffRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(staffRecoveryCodes.userId, userId),
        eq(staffRecoveryCodes.codeHash, codeHash),
        isNull(staffRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: staffRecoveryCodes.id });
  return rows.length === 1;
}

export async function recoveryCodesLeft(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(staffRecoveryCodes)
    .where(and(eq(staffRecoveryCodes.userId, userId), isNull(staffRecoveryCodes.usedAt)));
  return row?.n ?? 0;
}

/** Ends a person's sessions, all or all but `keep`; returns how many ended. */
export async function deleteSessionsOfUser(db: DbOrTx, tenantId: string, userId: string, keep?: string) {
  const rows = await db
    .delete(sessions)
    .where(
      and(
        eq(sessions.tenantId, tenantId),
        eq(sessions.userId, userId),
        keep ? ne(sessions.id, keep) : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return rows.length;
}

const countOf = (result: unknown) => (result as { count?: number }).count ?? 0;

/*
 * Housekeeping's purges (server/housekeeping) of this module's tables. Every delete takes at most `limit` rows,
 * so one statement holds its row locks briefly and a large backlog goes in several short transactions.
 */

/** Staff sessions past their expiry (up to `limit`); returns how many went. */
export async function deleteExpiredStaffSessions(db: DbOrTx, limit: number): Promise<number> {
  return countOf(
    await db.execute(sql`
      delete from sessions
       where id in (select id from sessions where expires_at < now() limit ${limit})
         and expires_at < now()`),
  );
}

/**
 * Failed staff logins older than `keptForMs` (the lockout window; up to `limit`). Only failures inside the
 * window lock an address; an address's rows otherwise go only at its next successful login.
 */
export async function deleteOldStaffLoginFailures(
  db: DbOrTx,
  keptForMs: number,
  limit: number,
): Promise<number> {
  const before = new Date(Date.now() - keptForMs).toISOString();
  return countOf(
    await db.execute(sql`
      delete from staff_login_failures
       where id in (select id from staff_login_failures where at < ${before} limit ${limit})`),
  );
}

/* The staff accounts (the users module administers them through auth/accounts.ts). */

export async function insertStaff(
  db: DbOrTx,
  v: { tenantId: string; name: string; email: string; roles: PermissionRole[]; passwordHash: string },
) {
  const [row] = await db.insert(users).values(v).returning({ id: users.id });
  if (!row) throw new Error('user not inserted');
  return row.id;
}

export async function updateStaff(
  db: DbOrTx,
  tenantId: string,
  userId: string,
  set: Partial<{ name: string; roles: PermissionRole[]; active: boolean; passwordHash: string }>,
) {
  await db
    .update(users)
    .set(set)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)));
}

export async function clearFailures(db: DbOrTx, emailHash: string): Promise<number> {
  const rows = await db
    .delete(staffLoginFailures)
    .where(eq(staffLoginFailures.emailHash, emailHash))
    .returning({ id: staffLoginFailures.id });
  return rows.length;
}

/** The seed's staff: created, or renamed when the e-mail exists (the demo seed runs at every start). */
export async function upsertStaff(
  db: DbOrTx,
  v: { tenantId: string; name: string; email: string; roles: PermissionRole[]; passwordHash: string },
): Promise<string> {
  const [row] = await db
    .insert(users)
    .values(v)
    .onConflictDoUpdate({ target: users.email, set: { name: v.name } })
    .returning({ id: users.id });
  if (!row) throw new Error('user not created');
  return row.id;
}

/** Stamps a successful sign-in. */
export async function recordLogin(db: DbOrTx, userId: string) {
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, userId));
}

/** One round trip: the session, its person, the tenant's policy and the job roles held (every API request). */
export async function sessionWithUser(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      session: sessions,
      user: users,
      tenantCode: tenants.code,
      totpForAllStaff: tenants.totpForAllStaff,
      sessionMaxHours: tenants.sessionMaxHours,
      jobRoles: sql<
        string[]
      >`coalesce((select array_agg(h.job_role_code order by h.job_role_code) from job_role_holders h
        where h.user_id = ${users.id} and h.tenant_id = ${users.tenantId}), '{}')`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(tenants, eq(tenants.id, sessions.tenantId))
    .where(eq(sessions.id, id))
    .limit(1);
  return row ?? null;
}

/** Every session past its expiry (the sign-out of a person whose sessions all ran out). */
export async function deleteAllExpiredSessions(db: DbOrTx) {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
