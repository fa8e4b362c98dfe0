import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { departments, jobRoleHolders, jobRoles, users } from '../db/schema/index.ts';

export function listDepartments(db: DbOrTx, tenantId: string) {
  return db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(eq(departments.tenantId, tenantId))
    .orderBy(asc(departments.name));
}

export function listJobRoles(db: DbOrTx, tenantId: string) {
  return db
    .select({ code: jobRoles.code, name: jobRoles.name, departmentId: jobRoles.departmentId })
    .from(jobRoles)
    .where(eq(jobRoles.tenantId, tenantId))
    .orderBy(asc(jobRoles.code));
}

export function listHolders(db: DbOrTx, tenantId: string, jobRoleCode?: string) {
  return db
    .select({
      jobRoleCode: jobRoleHolders.jobRoleCode,
      userId: users.id,
      name: users.name,
      email: users.email,
      active: users.active,
    })
    .from(jobRoleHolders)
    .innerJoin(users, eq(users.id, jobRoleHolders.userId))
    .where(
      and(
        eq(jobRoleHolders.tenantId, tenantId),
        jobRoleCode ? eq(jobRoleHolders.jobRoleCode, jobRoleCode) : undefined,
      ),
    )
    .orderBy(asc(users.name));
}

export function listStaff(db: DbOrTx, tenantId: string) {
  return db
    .select({ id: users.id, name: users.name, email: users.email, roles: users.roles, active: users.active })
    .from(users)
    .where(eq(users.tenantId, tenantId))
    .orderBy(asc(users.name));
}

export function usersOfTenant(db: DbOrTx, tenantId: string, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .select({ id: users.id, active: users.active })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, userIds)));
}

export async function addHolders(db: DbOrTx, tenantId: string, jobRoleCode: string, userIds: string[]) {
  if (userIds.length === 0) return;
  await db
    .insert(jobRoleHolders)
    .values(userIds.map((userId) => ({ tenantId, userId, jobRoleCode })))
    .onConflictDoNothing();
}

export async function removeHolders(db: DbOrTx, tenantId: string, jobRoleCode: string, userIds: string[]) {
  if (userIds.length === 0) return;
  await db
    .delete(jobRoleHolders)
    .where(
      and(
        eq(jobRoleHolders.tenantId, tenantId),
        eq(jobRoleHolders.jobRoleCode, jobRoleCode),
        inArray(jobRoleHolders.userId, userIds),
      ),
    );
}

export async function countDepartments(db: DbOrTx, tenantId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(departments).where(eq(departments.tenantId, tenantId));
  return row?.n ?? 0;
}

export async function insertDepartment(db: DbOrTx, tenantId: string, name: string): Promise<string> {
  const [row] = await db.insert(departments).values({ tenantId, name }).returning({ id: departments.id });
  if (!row) throw new Error('department not created');
  return row.id;
}

export async function insertJobRoles(
  db: DbOrTx,
  tenantId: string,
  roles: Array<{ code: string; name: string; departmentId: string }>,
) {
  await db
    .insert(jobRoles)
    .values(roles.map((r) => ({ tenantId, ...r })))
    .onConflictDoNothing();
}

export async function addRolesOfUser(db: DbOrTx, tenantId: string, userId: string, jobRoleCodes: string[]) {
  if (jobRoleCodes.length === 0) return;
  await db
    .insert(jobRoleHolders)
    .values(jobRoleCodes.map((jobRoleCode) => ({ tenantId, userId, jobRoleCode })))
    .onConflictDoNothing();
}

/** The people holding any of these job roles. */
export async function holderIdsOfRoles(db: DbOrTx, tenantId: string, roles: string[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const rows = await db
    .select({ userId: jobRoleHolders.userId })
    .from(jobRoleHolders)
    .where(and(eq(jobRoleHolders.tenantId, tenantId), inArray(jobRoleHolders.jobRoleCode, roles)));
  return rows.map((r) => r.userId);
}

/** The active staff among these people, with the address to write to, by e-mail. */
export function activeStaffByIds(db: DbOrTx, tenantId: string, userIds: string[]) {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.active, true), inArray(users.id, userIds)))
    .orderBy(users.email);
}

/** The holders of these job roles with their names (the case progress view shows who may take a task). */
export function holdersWithNames(db: DbOrTx, tenantId: string, roles: string[]) {
  if (roles.length === 0) return Promise.resolve([]);
  return db
    .select({ code: jobRoleHolders.jobRoleCode, id: users.id, name: users.name })
    .from(jobRoleHolders)
    .innerJoin(users, eq(users.id, jobRoleHolders.userId))
    .where(and(eq(jobRoleHolders.tenantId, tenantId), inArray(jobRoleHolders.jobRoleCode, roles)));
}
