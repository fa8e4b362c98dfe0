import type { Principal } from '../auth/index.ts';
import type { Db } from '../db/client.ts';
import { riskWindowOf } from '../deadlines/index.ts';
import { openTaskLoad, staffAndRoles } from './supervision.repo.ts';

/** The supervisor's workload view: open tasks per officer and per job role, overdue and at risk among them. */
export function createWorkloadView(deps: { db: Db }) {
  const { db } = deps;

  /** Open tasks per officer (held) and per job role (waiting in the role's queue or held), from the read model. */
  async function workload(p: Principal) {
    const { today, riskUntil } = await riskWindowOf(db, p.tenantId);
    const [[byOfficer, byGroups], [staff, roles, holders]] = await Promise.all([
      openTaskLoad(db, p.tenantId, { today, riskUntil }),
      staffAndRoles(db, p.tenantId),
    ]);
    const officerLoad = new Map(byOfficer.map((r) => [r.userId, r]));
    const roleLoad = new Map<string, { open: number; unassigned: number; overdue: number; atRisk: number }>();
    for (const r of byGroups)
      for (const role of new Set(r.groups)) {
        const l = roleLoad.get(role) ?? { open: 0, unassigned: 0, overdue: 0, atRisk: 0 };
        l.open += r.open;
        l.unassigned += r.unassigned;
        l.overdue += r.overdue;
        l.atRisk += r.atRisk;
        roleLoad.set(role, l);
      }
    const officers = staff
      .filter((u) => officerLoad.has(u.id) || holders.some((h) => h.userId === u.id))
      .map((u) => {
        const l = officerLoad.get(u.id);
        return {
          userId: u.id,
          name: u.name,
          jobRoles: holders.filter((h) => h.userId === u.id).map((h) => h.code),
          open: l?.open ?? 0,
          overdue: l?.overdue ?? 0,
          atRisk: l?.atRisk ?? 0,
        };
      })
      .sort((a, b) => b.open - a.open || a.name.localeCompare(b.name, 'ro'));
    const roleRows = roles
      .map((r) => {
        const l = roleLoad.get(r.code);
        return {
          code: r.code,
          name: r.name,
          holders: holders.filter((h) => h.code === r.code).length,
          open: l?.open ?? 0,
          unassigned: l?.unassigned ?? 0,
          overdue: l?.overdue ?? 0,
          atRisk: l?.atRisk ?? 0,
        };
      })
      .filter((r) => r.open > 0 || r.holders > 0)
      .sort((a, b) => b.open - a.open || a.code.localeCompare(b.code));
    return { officers, roles: roleRows };
  }

  return { workload };
}
