import type { Db } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/index.ts';
import { type Principal } from '../auth/index.ts';
import {
  addHolders,
  listDepartments,
  listHolders,
  listJobRoles,
  listStaff,
  removeHolders,
  usersOfTenant,
} from './org-chart.repo.ts';

/**
 * The tenant's organisation chart: departments, the job roles in them (the engine's candidate groups) and who
 * holds each. A change of holders takes effect on the holder's next request (the session reads job roles live)
 * and is audited with who was added and who removed.
 */
export function createOrgChartService(db: Db) {
  async function get(p: Principal) {
    const [depts, roles, holders, staff] = await Promise.all([
      listDepartments(db, p.tenantId),
      listJobRoles(db, p.tenantId),
      listHolders(db, p.tenantId),
      listStaff(db, p.tenantId),
    ]);
    const holdersOf = (code: string) =>
      holders
        .filter((h) => h.jobRoleCode === code)
        .map((h) => ({ userId: h.userId, name: h.name, email: h.email, active: h.active }));
    return {
      departments: depts.map((d) => ({
        id: d.id,
        name: d.name,
        jobRoles: roles
          .filter((r) => r.departmentId === d.id)
          .map((r) => ({ code: r.code, name: r.name, holders: holdersOf(r.code) })),
      })),
      staff: staff.map((u) => ({
        id: u.id,
        name: u.name,
        email: u.email,
        roles: u.roles,
        active: u.active,
        jobRoles: holders.filter((h) => h.userId === u.id).map((h) => h.jobRoleCode),
      })),
    };
  }

  /** Replaces the holders of one job role with exactly `userIds`. */
  async function setHolders(p: Principal, jobRoleCode: string, userIds: string[]) {
    const wanted = [...new Set(userIds)];
    return db.transaction(async (tx) => {
      const role = (await listJobRoles(tx, p.tenantId)).find((r) => r.code === jobRoleCode);
      if (!role) throw new DomainError('JOB_ROLE_NOT_FOUND', { jobRoleCode });
      const found = await usersOfTenant(tx, p.tenantId, wanted);
      if (found.length !== wanted.length) throw new DomainError('USER_NOT_FOUND');
      if (found.some((u) => !u.active)) throw new DomainError('USER_INACTIVE');
      const current = (await listHolders(tx, p.tenantId, jobRoleCode)).map((h) => h.userId);
      const added = wanted.filter((id) => !current.includes(id));
      const removed = current.filter((id) => !wanted.includes(id));
      await addHolders(tx, p.tenantId, jobRoleCode, added);
      await removeHolders(tx, p.tenantId, jobRoleCode, removed);
      if (added.length || removed.length) {
        await appendAudit(tx, {
          tenantId: p.tenantId,
          actorId: p.userId,
          actorKind: 'user',
          action: 'job_role.holders_changed',
          entityType: 'job_role',
          entityId: jobRoleCode,
          details: { added, removed },
        });
      }
      const holders = await listHolders(tx, p.tenantId, jobRoleCode);
      return {
        code: role.code,
        name: role.name,
        holders: holders.map((h) => ({ userId: h.userId, name: h.name, email: h.email, active: h.active })),
        added: added.length,
        removed: removed.length,
      };
    });
  }

  return { get, setHolders };
}

export type OrgChartService = ReturnType<typeof createOrgChartService>;
