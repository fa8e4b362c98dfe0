import type { DbOrTx } from '../db/client.ts';
import { JOB_ROLES } from '../codes/job-roles.ts';
import {
  activeStaffByIds,
  holdersWithNames,
  addRolesOfUser,
  countDepartments,
  holderIdsOfRoles,
  insertDepartment,
  insertJobRoles,
  listJobRoles,
} from './org-chart.repo.ts';

/**
 * A new tenant's organisation chart: customer relations (front and back office) and the specialists, with every
 * job role the processes name (codes/job-roles.ts). A tenant that has departments keeps its own chart.
 */
export async function ensureDefaultOrgChart(db: DbOrTx, tenantId: string): Promise<void> {
  if ((await countDepartments(db, tenantId)) > 0) return;
  const rel = await insertDepartment(db, tenantId, 'Serviciul Relații Clienți');
  const spec = await insertDepartment(db, tenantId, 'Serviciul Facturare și Măsurare');
  const legal = await insertDepartment(db, tenantId, 'Juridic și Conformitate');
  const deptOf: Record<string, string> = {
    SF: spec,
    SM: spec,
    FIN: spec,
    SP: spec,
    CJ: legal,
    DPO: legal,
    SRR: legal,
  };
  await insertJobRoles(
    db,
    tenantId,
    Object.entries(JOB_ROLES).map(([code, name]) => ({ code, name, departmentId: deptOf[code] ?? rel })),
  );
}

/** Gives a person job roles (the engine's candidate groups); roles the person holds already stay. */
export function assignJobRoles(db: DbOrTx, tenantId: string, userId: string, codes: string[]): Promise<void> {
  return addRolesOfUser(db, tenantId, userId, codes);
}

/** The tenant's job roles (code, name, department), for pickers such as the designer's. */
export function jobRolesOf(db: DbOrTx, tenantId: string) {
  return listJobRoles(db, tenantId);
}

/**
 * Who to tell about a case: the people named, and everyone holding one of the job roles; only active staff, with
 * their e-mail address, ordered by it.
 */
export async function staffToNotify(
  db: DbOrTx,
  tenantId: string,
  to: { userIds: string[]; roles: string[] },
) {
  const ids = new Set([...to.userIds, ...(await holderIdsOfRoles(db, tenantId, to.roles))]);
  return activeStaffByIds(db, tenantId, [...ids]);
}

/** The holders of these job roles, with their names: who may take a task of those roles. */
export function holdersOfRoles(db: DbOrTx, tenantId: string, roles: string[]) {
  return holdersWithNames(db, tenantId, roles);
}
