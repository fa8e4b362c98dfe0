import type { DbOrTx } from '../db/client.ts';
import { businessClock, nextWorkingDay, nonWorkingDaysOf } from '../deadlines/index.ts';
import { DomainError } from '../errors.ts';
import { getTenant } from '../tenants/index.ts';
import type { RiskWindow } from './supervision.repo.ts';

/** Today and the last due date still at risk for a tenant, with its settings and extra non-working days. */
export async function riskWindowOf(db: DbOrTx, tenantId: string) {
  const [tenant, extra] = await Promise.all([getTenant(db, tenantId), nonWorkingDaysOf(db, tenantId)]);
  if (!tenant) throw new DomainError('NOT_FOUND');
  const today = businessClock(new Date()).date;
  // The last due date still "at risk": the day N working days from today (N = the tenant's warning lead time).
  let riskUntil = today;
  for (let i = 0; i < tenant.warnWorkingDaysBefore; i++)
    riskUntil = nextWorkingDay(riskUntil, { extraNonWorkingDays: extra });
  const window: RiskWindow = { today, riskUntil };
  return { tenant, extra, ...window };
}
