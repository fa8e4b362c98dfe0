import { and, asc, count, eq, gt, inArray, isNull, max, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { staffLoginFailures, staffPasswordTokens, users } from '../db/schema/index.ts';

const staffColumns = {
  id: users.id,
  tenantId: users.tenantId,
  name: users.name,
  email: users.email,
  roles: users.roles,
  active: users.active,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
  totpEnabledAt: users.totpEnabledAt,
};

export type StaffRow = Awaited<ReturnType<typeof listStaff>>[number];

/** The tenant's staff (or one person of it). */
export function listStaff(db: DbOrTx, tenantId: string, userId?: string) {
  return db
    .select(staffColumns)
    .from(users)
    .where(and(eq(users.tenantId, tenantId), userId ? eq(users.id, userId) : undefined))
    .orderBy(asc(users.name), asc(users.email));
}

/** Until when each person's password-setting link still works, for those with one waiting to be used. */
export async function pendingLinks(db: DbOrTx, tenantId: string, userIds: string[]) {
  if (userIds.length === 0) return new Map<string, Date>();
  const rows = await db
    .select({ userId: staffPasswordTokens.userId, expiresAt: max(staffPasswordTokens.expiresAt) })
    .from(staffPasswordTokens)
    .where(
      and(
        eq(staffPasswordTokens.tenantId, tenantId),
        inArray(staffPasswordTokens.userId, userIds),
        isNull(staffPasswordTokens.usedAt),
        gt(staffPasswordTokens.expiresAt, sql`now()`),
      ),
    )
    .groupBy(staffPasswordTokens.userId);
  return new Map(rows.filter((r) => r.expiresAt).map((r) => [r.userId, r.expiresAt!]));
}

/** One person of the tenant, locked for the rest of the transaction; null for an unknown id or another tenant. */
export async function getStaffForUpdate(db: DbOrTx, tenantId: string, userId: string) {
  const [row] = await db
    .select(staffColumns)
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
    .for('update')
    .limit(1);
  return row ?? null;
}

export async function emailTaken(db: DbOrTx, email: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  return !!row;
}

/**
 * Active admins of the tenant other than `exceptUserId`. Callers hold the tenant's staff lock, so two admins
 * demoting each other at the same moment cannot both see the other one as the remaining admin.
 */
export async function otherActiveAdmins(db: DbOrTx, tenantId: string, exceptUserId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(users)
    .where(
      and(
        eq(users.tenantId, tenantId),
        eq(users.active, true),
        ne(users.id, exceptUserId),
        sql`'admin' = any(${users.roles})`,
      ),
    );
  return row?.n ?? 0;
}

/** Serialises the admin rules of one tenant (last active admin) for the rest of the transaction. */
export async function lockTenantStaff(db: DbOrTx, tenantId: string) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${'staff-admins:' + tenantId}, 0))`);
}

/** The stored password hash of an active account, locked for the rest of the transaction. */
export async function getPasswordHashForUpdate(db: DbOrTx, tenantId: string, userId: string) {
  const [row] = await db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, userId), eq(users.active, true)))
    .for('update')
    .limit(1);
  return row?.passwordHash ?? null;
}

/** Removes every earlier link of the person (used or not): only the newest one works. */
export async function deletePasswordTokens(db: DbOrTx, userId: string) {
  await db.delete(staffPasswordTokens).where(eq(staffPasswordTokens.userId, userId));
}

export async function insertPasswordToken(
  db: DbOrTx,
  v: { tokenHash: string; userId: string; tenantId: string; expiresAt: Date },
) {
  await db.insert(staffPasswordTokens).values(v);
}

/** The link with its person, locked, so two submissions of one link cannot both use it. */
export async function getPasswordTokenForUpdate(db: DbOrTx, tokenHash: string) {
  const [row] = await db
    .select({
      id: staffPasswordTokens.id,
      expiresAt: staffPasswordTokens.expiresAt,
      usedAt: staffPasswordTokens.usedAt,
      userId: users.id,
      tenantId: users.tenantId,
      name: users.name,
      email: users.email,
      active: users.active,
    })
    .from(staffPasswordTokens)
    .innerJoin(
      users,
      and(eq(users.id, staffPasswordTokens.userId), eq(users.tenantId, staffPasswordTokens.tenantId)),
    )
    .where(eq(staffPasswordTokens.tokenHash, tokenHash))
    .for('update', { of: staffPasswordTokens })
    .limit(1);
  return row ?? null;
}

export async function markPasswordTokenUsed(db: DbOrTx, tokenId: string) {
  await db
    .update(staffPasswordTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(staffPasswordTokens.id, tokenId), isNull(staffPasswordTokens.usedAt)));
}

/** Failed logins in the window per account (address hash) and client address: how many and the latest. */
export async function recentFailures(db: DbOrTx, emailHashes: string[], since: Date) {
  if (emailHashes.length === 0) return [];
  return db
    .select({
      emailHash: staffLoginFailures.emailHash,
      n: count(),
      last: max(staffLoginFailures.at),
    })
    .from(staffLoginFailures)
    .where(and(inArray(staffLoginFailures.emailHash, emailHashes), gt(staffLoginFailures.at, since)))
    .groupBy(staffLoginFailures.emailHash, staffLoginFailures.addressHash);
}
