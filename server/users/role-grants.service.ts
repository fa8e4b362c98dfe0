import type { Db, DbOrTx } from '../db/client.ts';
import type { PermissionRole } from '../db/schema/index.ts';
import { privilegedRoles } from '../codes/permission-roles.ts';
import { appendAudit } from '../audit/index.ts';
import { type Principal, requireRecentAuth, updateStaffAccount } from '../auth/index.ts';
import { DomainError } from '../errors.ts';
import {
  decideGrant,
  getPendingGrantForUpdate,
  listPendingGrants,
  staffNames,
  upsertPendingGrant,
} from './role-grants.repo.ts';
import { getStaffForUpdate, lockTenantStaff } from './users.repo.ts';

const PRIVILEGED: readonly PermissionRole[] = privilegedRoles;

/** The roles among `roles` that only a second admin may grant. */
export function privilegedAmong(roles: readonly PermissionRole[]): PermissionRole[] {
  return roles.filter((r) => PRIVILEGED.includes(r));
}

function audit(tx: DbOrTx, p: Principal, action: string, userId: string, details: Record<string, unknown>) {
  return appendAudit(tx, {
    tenantId: p.tenantId,
    actorId: p.userId,
    actorKind: 'user',
    action,
    entityType: 'user',
    entityId: userId,
    details,
  });
}

/**
 * Called inside the admin's transaction when roles are about to be given: the designer and admin roles are held
 * back as a pending grant (audited) for a second admin; the rest is the caller's to apply at once. Returns the
 * roles to apply now.
 */
export async function holdPrivilegedGrant(
  tx: DbOrTx,
  p: Principal,
  user: { id: string; roles: readonly PermissionRole[] },
  wanted: readonly PermissionRole[],
): Promise<PermissionRole[]> {
  const held = privilegedAmong(wanted.filter((r) => !user.roles.includes(r)));
  if (held.length === 0) return [...wanted];
  const grantId = await upsertPendingGrant(tx, {
    tenantId: p.tenantId,
    userId: user.id,
    roles: held,
    requestedBy: p.userId,
  });
  await audit(tx, p, 'user.role_grant_requested', user.id, { grantId, roles: held });
  return wanted.filter((r) => !held.includes(r));
}

/**
 * The two-person rule for the designer and admin roles (issue 13 item 1): a designer deploys what runs in the
 * engine every tenant shares, an admin grants roles, so neither comes from one admin alone. An admin's grant
 * waits here until another admin of the same tenant approves it: never the admin who asked, never the person who
 * would receive it (so no admin grants a role to themself). A tenant with a single admin asks the platform
 * operator, who grants on the server with the tenant setup (server/seed/tenant-setup.ts ensureUser), which does
 * not pass through here. Every request and decision is audited; approving needs a recent re-authentication.
 */
export function createRoleGrantsService(deps: { db: Db }) {
  const { db } = deps;

  async function list(p: Principal) {
    const [grants, names] = await Promise.all([
      listPendingGrants(db, p.tenantId),
      staffNames(db, p.tenantId),
    ]);
    return {
      items: grants.map((g) => ({
        id: g.id,
        userId: g.userId,
        userName: names.get(g.userId)?.name ?? '—',
        roles: g.roles,
        requestedBy: g.requestedBy,
        requestedByName: names.get(g.requestedBy)?.name ?? '—',
        requestedAt: g.requestedAt.toISOString(),
        // What the UI offers this admin: approving needs someone else than the asker and the receiver.
        canApprove: g.requestedBy !== p.userId && g.userId !== p.userId,
      })),
    };
  }

  async function approve(p: Principal, grantId: string) {
    requireRecentAuth(p);
    return db.transaction(async (tx) => {
      await lockTenantStaff(tx, p.tenantId);
      const grant = await getPendingGrantForUpdate(tx, p.tenantId, grantId);
      if (!grant) throw new DomainError('ROLE_GRANT_NOT_FOUND');
      if (grant.userId === p.userId) throw new DomainError('ROLE_GRANT_OWN');
      if (grant.requestedBy === p.userId) throw new DomainError('ROLE_GRANT_SAME_ADMIN');
      const user = await getStaffForUpdate(tx, p.tenantId, grant.userId);
      if (!user) throw new DomainError('ROLE_GRANT_NOT_FOUND');
      if (!user.active) throw new DomainError('STAFF_USER_INACTIVE');
      const added = grant.roles.filter((r) => !user.roles.includes(r));
      if (added.length > 0)
        await updateStaffAccount(tx, p.tenantId, user.id, { roles: [...user.roles, ...added] });
      await decideGrant(tx, p.tenantId, grant.id, 'approved', p.userId);
      await audit(tx, p, 'user.role_grant_approved', user.id, {
        grantId: grant.id,
        roles: grant.roles,
        requestedBy: grant.requestedBy,
      });
      if (added.length > 0) await audit(tx, p, 'user.roles_changed', user.id, { added, removed: [] });
      return { userId: user.id, roles: [...user.roles, ...added] };
    });
  }

  /** Any admin of the tenant may refuse a grant; the one who asked withdraws it. */
  async function reject(p: Principal, grantId: string) {
    await db.transaction(async (tx) => {
      const grant = await getPendingGrantForUpdate(tx, p.tenantId, grantId);
      if (!grant) throw new DomainError('ROLE_GRANT_NOT_FOUND');
      const status = grant.requestedBy === p.userId ? 'withdrawn' : 'rejected';
      await decideGrant(tx, p.tenantId, grant.id, status, p.userId);
      await audit(tx, p, `user.role_grant_${status}`, grant.userId, {
        grantId: grant.id,
        roles: grant.roles,
      });
    });
  }

  return { list, approve, reject };
}

export type RoleGrantsService = ReturnType<typeof createRoleGrantsService>;
