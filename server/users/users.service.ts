import { randomBytes } from 'node:crypto';
import type { Db, DbOrTx } from '../db/client.ts';
import type { PermissionRole } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/index.ts';
import {
  LOGIN_LOCK_WINDOW_MS,
  loginAddressHash,
  loginDelayMs,
  type Principal,
  hashPassword,
  requireRecentAuth,
  clearLoginFailures,
  endSessionsOf,
  createStaffAccount,
  updateStaffAccount,
} from '../auth/index.ts';
import type { Mailer } from '../mail/mailer.ts';
import { getTenant } from '../tenants/index.ts';
import { newPasswordLink, sendPasswordLink } from './password-links.ts';
import { holdPrivilegedGrant, privilegedAmong } from './role-grants.service.ts';
import { listPendingGrants } from './role-grants.repo.ts';
import {
  deletePasswordTokens,
  emailTaken,
  getStaffForUpdate,
  listStaff,
  lockTenantStaff,
  pendingLinks,
  otherActiveAdmins,
  recentFailures,
  type StaffRow,
} from './users.repo.ts';

export interface UsersDeps {
  db: Db;
  secret: string;
  mailer: Mailer | undefined;
  publicUrl: string;
  log: { warn(obj: unknown, msg?: string): void };
}

/** A password nobody knows: the account cannot log in until its person sets one through the link. */
function unusablePasswordHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString('base64url'));
}

function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

function isUniqueViolation(err: unknown): boolean {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === '23505') return true;
  }
  return false;
}

/**
 * Staff accounts of one supplier, managed by its administrators: the tenant is always the admin's own (another
 * tenant's person is "not found"), every change is audited (ids and role codes only), and the tenant always
 * keeps an active administrator. Deactivating or resetting a password ends the person's sessions at once.
 */
export function createUsersService(deps: UsersDeps) {
  const { db, secret } = deps;

  async function view(rows: StaffRow[]) {
    const hashes = rows.map((r) => loginAddressHash(secret, r.email));
    const [failures, links, grants] = await Promise.all([
      recentFailures(db, hashes, new Date(Date.now() - LOGIN_LOCK_WINDOW_MS)),
      pendingLinks(
        db,
        rows[0]?.tenantId ?? '',
        rows.map((r) => r.id),
      ),
      rows.length > 0 ? listPendingGrants(db, rows[0]!.tenantId) : Promise.resolve([]),
    ]);
    const pendingRoles = new Map(grants.map((g) => [g.userId, g.roles]));
    // Delayed: some client address has to wait before trying this account again (others are not slowed).
    const now = Date.now();
    const delayed = new Set(
      failures.filter((f) => f.last && f.last.getTime() + loginDelayMs(f.n) > now).map((f) => f.emailHash),
    );
    return rows.map((r, i) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      roles: r.roles,
      active: r.active,
      lastLoginAt: r.lastLoginAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
      pendingLinkExpiresAt: links.get(r.id)?.toISOString() ?? null,
      loginLocked: delayed.has(hashes[i]!),
      totpEnabled: r.totpEnabledAt !== null,
      pendingRoles: pendingRoles.get(r.id) ?? [],
    }));
  }

  async function one(tenantId: string, userId: string) {
    const [row] = await view(await listStaff(db, tenantId, userId));
    if (!row) throw new DomainError('STAFF_USER_NOT_FOUND');
    return row;
  }

  async function found(tx: DbOrTx, p: Principal, userId: string) {
    const user = await getStaffForUpdate(tx, p.tenantId, userId);
    if (!user) throw new DomainError('STAFF_USER_NOT_FOUND');
    return user;
  }

  function audit(
    tx: DbOrTx,
    p: Principal,
    action: string,
    userId: string,
    details?: Record<string, unknown>,
  ) {
    return appendAudit(tx, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action,
      entityType: 'user',
      entityId: userId,
      ...(details ? { details } : {}),
    });
  }

  async function mailLink(
    p: Principal,
    to: { email: string; name: string },
    reason: 'invite' | 'reset',
    token: string,
  ) {
    const tenant = await getTenant(db, p.tenantId);
    return sendPasswordLink(deps, {
      to: to.email,
      name: to.name,
      supplier: tenant?.name ?? p.tenantCode,
      tenantCode: p.tenantCode,
      reason,
      token,
    });
  }

  async function list(p: Principal) {
    return { items: await view(await listStaff(db, p.tenantId)) };
  }

  /** A new account without a usable password; its person gets a link to choose one. */
  async function create(p: Principal, input: { name: string; email: string; roles: PermissionRole[] }) {
    // Giving someone permission roles is granting them: the admin proves again who they are first.
    if (input.roles.length) requireRecentAuth(p);
    const email = normaliseEmail(input.email);
    const roles = [...new Set(input.roles)];
    const passwordHash = await unusablePasswordHash();
    let created: { id: string; token: string };
    try {
      created = await db.transaction(async (tx) => {
        // Addresses are unique across the installation (users_email_unique): one login, one account.
        if (await emailTaken(tx, email)) throw new DomainError('STAFF_EMAIL_TAKEN');
        // Designer and admin are not given at creation: they wait for a second admin (two-person rule).
        const now = roles.filter((r) => !privilegedAmong([r]).length);
        const id = await createStaffAccount(tx, {
          tenantId: p.tenantId,
          name: input.name.trim(),
          email,
          roles: now,
          passwordHash,
        });
        await holdPrivilegedGrant(tx, p, { id, roles: now }, roles);
        const { token } = await newPasswordLink(tx, { id, tenantId: p.tenantId });
        await audit(tx, p, 'user.created', id, { roles: now });
        await audit(tx, p, 'user.password_link_sent', id, { reason: 'invite' });
        return { id, token };
      });
    } catch (err) {
      // Two admins creating the same address at once: the constraint decides.
      if (!(err instanceof DomainError) && isUniqueViolation(err)) throw new DomainError('STAFF_EMAIL_TAKEN');
      throw err;
    }
    const linkSent = await mailLink(p, { email, name: input.name.trim() }, 'invite', created.token);
    return { user: await one(p.tenantId, created.id), linkSent };
  }

  /** Changes the name and/or the permission roles (effective on the person's next request). */
  async function update(p: Principal, userId: string, input: { name?: string; roles?: PermissionRole[] }) {
    await db.transaction(async (tx) => {
      await lockTenantStaff(tx, p.tenantId);
      const user = await found(tx, p, userId);
      const set: { name?: string; roles?: PermissionRole[] } = {};
      if (input.name !== undefined && input.name.trim() !== user.name) set.name = input.name.trim();
      let added: PermissionRole[] = [];
      let removed: PermissionRole[] = [];
      if (input.roles) {
        const roles = [...new Set(input.roles)];
        added = roles.filter((r) => !user.roles.includes(r));
        removed = user.roles.filter((r) => !roles.includes(r));
        if (removed.includes('admin')) {
          if (user.active && (await otherActiveAdmins(tx, p.tenantId, user.id)) === 0)
            throw new DomainError('STAFF_LAST_ADMIN');
          if (user.id === p.userId) throw new DomainError('STAFF_CANNOT_DROP_OWN_ADMIN');
        }
        if (added.length) requireRecentAuth(p);
        // Designer and admin wait for a second admin (two-person rule); the other roles apply now.
        const now = await holdPrivilegedGrant(tx, p, user, roles);
        added = added.filter((r) => now.includes(r));
        if (added.length || removed.length) set.roles = now;
      }
      if (!set.name && !set.roles) return;
      await updateStaffAccount(tx, p.tenantId, user.id, set);
      if (set.roles) await audit(tx, p, 'user.roles_changed', user.id, { added, removed });
      if (set.name) await audit(tx, p, 'user.renamed', user.id);
    });
    return one(p.tenantId, userId);
  }

  /** The person can no longer log in; their sessions and any unused link end now. */
  async function deactivate(p: Principal, userId: string) {
    await db.transaction(async (tx) => {
      await lockTenantStaff(tx, p.tenantId);
      const user = await found(tx, p, userId);
      if (user.id === p.userId) throw new DomainError('STAFF_CANNOT_DEACTIVATE_SELF');
      if (!user.active) return;
      if (user.roles.includes('admin') && (await otherActiveAdmins(tx, p.tenantId, user.id)) === 0)
        throw new DomainError('STAFF_LAST_ADMIN');
      await updateStaffAccount(tx, p.tenantId, user.id, { active: false });
      const sessionsEnded = await endSessionsOf(tx, p.tenantId, user.id);
      await deletePasswordTokens(tx, user.id);
      await audit(tx, p, 'user.deactivated', user.id, { sessionsEnded });
    });
    return one(p.tenantId, userId);
  }

  /** The person can log in again with the password they had (or ask for a new link). */
  async function reactivate(p: Principal, userId: string) {
    await db.transaction(async (tx) => {
      const user = await found(tx, p, userId);
      if (user.active) return;
      await updateStaffAccount(tx, p.tenantId, user.id, { active: true });
      await audit(tx, p, 'user.reactivated', user.id);
    });
    return one(p.tenantId, userId);
  }

  /**
   * A new password-setting link by e-mail. The current password stops working and the person's sessions end
   * (a reset is what an admin does when an account may be in the wrong hands); for someone who never set a
   * password this simply sends the invitation again.
   */
  async function resetPassword(p: Principal, userId: string) {
    const passwordHash = await unusablePasswordHash();
    const { user, token } = await db.transaction(async (tx) => {
      const user = await found(tx, p, userId);
      if (!user.active) throw new DomainError('STAFF_USER_INACTIVE');
      await updateStaffAccount(tx, p.tenantId, user.id, { passwordHash });
      const sessionsEnded = await endSessionsOf(tx, p.tenantId, user.id);
      const { token } = await newPasswordLink(tx, user);
      const reason = user.lastLoginAt ? 'reset' : 'invite';
      await audit(tx, p, 'user.password_link_sent', user.id, { reason, sessionsEnded });
      return { user, token };
    });
    const linkSent = await mailLink(p, user, user.lastLoginAt ? 'reset' : 'invite', token);
    return { user: await one(p.tenantId, userId), linkSent };
  }

  /** Clears the failed logins of the person's address, so a locked-out colleague can try again now. */
  async function unlock(p: Principal, userId: string) {
    const cleared = await db.transaction(async (tx) => {
      const user = await found(tx, p, userId);
      const failuresCleared = await clearLoginFailures(tx, loginAddressHash(secret, user.email));
      await audit(tx, p, 'user.login_unlocked', user.id, { failuresCleared });
      return failuresCleared;
    });
    return { user: await one(p.tenantId, userId), failuresCleared: cleared };
  }

  return { list, create, update, deactivate, reactivate, resetPassword, unlock };
}

export type UsersService = ReturnType<typeof createUsersService>;
