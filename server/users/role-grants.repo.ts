import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { roleGrantRequests, users, type PermissionRole } from '../db/schema/index.ts';

/** The tenant's grants still waiting for a second admin, with who asked and for whom. */
export function listPendingGrants(db: DbOrTx, tenantId: string) {
  return db
    .select({
      id: roleGrantRequests.id,
      userId: roleGrantRequests.userId,
      roles: roleGrantRequests.roles,
      requestedBy: roleGrantRequests.requestedBy,
      requestedAt: roleGrantRequests.requestedAt,
    })
    .from(roleGrantRequests)
    .where(and(eq(roleGrantRequests.tenantId, tenantId), eq(roleGrantRequests.status, 'pending')))
    .orderBy(asc(roleGrantRequests.requestedAt));
}

/** One pending grant of the tenant, locked for the decision; null for another tenant's or a decided one. */
export async function getPendingGrantForUpdate(db: DbOrTx, tenantId: string, grantId: string) {
  const [row] = await db
    .select()
    .from(roleGrantRequests)
    .where(
      and(
        eq(roleGrantRequests.tenantId, tenantId),
        eq(roleGrantRequests.id, grantId),
        eq(roleGrantRequests.status, 'pending'),
      ),
    )
    .for('update')
    .limit(1);
  return row ?? null;
}

/**
 * Records a request for `roles` for one person, replacing any pending one of theirs (the newest request is what
 * the asking admin means now); returns its id.
 */
export async function upsertPendingGrant(
  db: DbOrTx,
  v: { tenantId: string; userId: string; roles: PermissionRole[]; requestedBy: string },
): Promise<string> {
  await db
    .update(roleGrantRequests)
    .set({ status: 'withdrawn', decidedBy: v.requestedBy, decidedAt: new Date() })
    .where(
      and(
        eq(roleGrantRequests.tenantId, v.tenantId),
        eq(roleGrantRequests.userId, v.userId),
        eq(roleGrantRequests.status, 'pending'),
      ),
    );
  const [row] = await db.insert(roleGrantRequests).values(v).returning({ id: roleGrantRequests.id });
  return row!.id;
}

export async function decideGrant(
  db: DbOrTx,
  tenantId: string,
  grantId: string,
  status: 'approved' | 'rejected' | 'withdrawn',
  decidedBy: string,
) {
  await db
    .update(roleGrantRequests)
    .set({ status, decidedBy, decidedAt: new Date() })
    .where(and(eq(roleGrantRequests.tenantId, tenantId), eq(roleGrantRequests.id, grantId)));
}

/** Names of the tenant's people, for showing who asked and for whom. */
export async function staffNames(db: DbOrTx, tenantId: string) {
  const rows = await db
    .select({ id: users.id, name: users.name, roles: users.roles, active: users.active })
    .from(users)
    .where(eq(users.tenantId, tenantId));
  return new Map(rows.map((r) => [r.id, r]));
}
