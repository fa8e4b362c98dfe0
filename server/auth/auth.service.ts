import { createHmac } from 'node:crypto';
import { and, count, eq, gt, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sessions, staffLoginFailures, tenants, users, type PermissionRole } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { generateSessionToken, sessionIdOf } from './tokens.ts';

/** Staff sessions: 8 hours, renewed (sliding) when less than half remains. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/**
 * Lockout: after this many failed logins for one address within the window, that address is refused (even with
 * the right password) until the window has passed. Counted per address in the database, so every replica and
 * every client address see the same count (the per-IP request limit of the route is per process).
 */
export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_LOCK_WINDOW_MS = 15 * 60 * 1000;

/**
 * The address as the failure rows know it: keyed, so a database copy does not list who tried to log in. The
 * admin's unlock (server/users) computes the same value to clear an address's failures.
 */
export function loginAddressHash(secret: string, email: string): string {
  return createHmac('sha256', secret).update(`staff-login:${email}`).digest('hex').slice(0, 32);
}

export interface Principal {
  userId: string;
  tenantId: string;
  tenantCode: string;
  email: string;
  name: string;
  roles: PermissionRole[];
  /** Job roles held (the engine's candidate groups). */
  jobRoles: string[];
  sessionId: string;
  sessionExpiresAt: Date;
}

export function createAuthService(db: Db, secret: string) {
  async function login(rawEmail: string, password: string): Promise<{ token: string; principal: Principal }> {
    const email = rawEmail.trim().toLowerCase();
    const emailHash = loginAddressHash(secret, email);
    // One attempt per address at a time: parallel guesses cannot all pass the count before one is recorded.
    const user = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${'staff-login:' + emailHash}, 0))`);
      const [failures] = await tx
        .select({ n: count() })
        .from(staffLoginFailures)
        .where(
          and(
            eq(staffLoginFailures.emailHash, emailHash),
            gt(staffLoginFailures.at, new Date(Date.now() - LOGIN_LOCK_WINDOW_MS)),
          ),
        );
      // The same answer whether the account exists or not, and the password is not even checked.
      if ((failures?.n ?? 0) >= LOGIN_MAX_FAILURES) throw new DomainError('AUTH_LOGIN_LOCKED');

      const [found] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
      const ok = found?.active
        ? await verifyPassword(found.passwordHash, password)
        : await verifyPassword(await dummyPasswordHash(), password).then(() => false);
      if (ok) {
        await tx.delete(staffLoginFailures).where(eq(staffLoginFailures.emailHash, emailHash));
        return found!;
      }
      await tx.insert(staffLoginFailures).values({ emailHash });
      if (found) {
        await appendAudit(tx, {
          tenantId: found.tenantId,
          actorId: found.id,
          actorKind: 'user',
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: found.id,
          details: { failuresInWindow: (failures?.n ?? 0) + 1 },
        });
      }
      return null;
    });
    if (!user) throw new DomainError('AUTH_INVALID_CREDENTIALS');
    const token = generateSessionToken();
    const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
    await db.transaction(async (tx) => {
      await tx
        .insert(sessions)
        .values({ id: sessionIdOf(token), userId: user.id, tenantId: user.tenantId, expiresAt });
      await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
      await appendAudit(tx, {
        tenantId: user.tenantId,
        actorId: user.id,
        actorKind: 'user',
        action: 'auth.login',
        entityType: 'user',
        entityId: user.id,
      });
    });
    const principal = await validateSessionToken(token);
    if (!principal) throw new DomainError('AUTH_SESSION_INVALID');
    return { token, principal };
  }

  /** Returns the principal for a token, extending the session when past half its life; null when invalid. */
  async function validateSessionToken(token: string): Promise<Principal | null> {
    if (!/^[a-z2-7]{32}$/.test(token)) return null;
    const id = sessionIdOf(token);
    // One round trip: session, user, tenant and the job roles held (every API request passes here).
    const [row] = await db
      .select({
        session: sessions,
        user: users,
        tenantCode: tenants.code,
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
    if (!row) return null;
    const now = Date.now();
    if (row.session.expiresAt.getTime() <= now || !row.user.active) {
      await db.delete(sessions).where(eq(sessions.id, id));
      return null;
    }
    let expiresAt = row.session.expiresAt;
    if (expiresAt.getTime() - now < SESSION_TTL_MS / 2) {
      expiresAt = new Date(now + SESSION_TTL_MS);
      await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
    }
    return {
      userId: row.user.id,
      tenantId: row.user.tenantId,
      tenantCode: row.tenantCode,
      email: row.user.email,
      name: row.user.name,
      roles: row.user.roles,
      jobRoles: row.jobRoles,
      sessionId: id,
      sessionExpiresAt: expiresAt,
    };
  }

  async function logout(principal: Principal): Promise<void> {
    await db.transaction(async (tx) => {
      await tx.delete(sessions).where(eq(sessions.id, principal.sessionId));
      await appendAudit(tx, {
        tenantId: principal.tenantId,
        actorId: principal.userId,
        actorKind: 'user',
        action: 'auth.logout',
        entityType: 'user',
        entityId: principal.userId,
      });
    });
  }

  async function purgeExpired(): Promise<void> {
    await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
  }

  return { login, validateSessionToken, logout, purgeExpired };
}

export type AuthService = ReturnType<typeof createAuthService>;
