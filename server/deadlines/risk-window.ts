import { businessDate } from '../codes/business-date.ts';
import type { RiskWindow } from '../codes/deadline-risk.ts';
import type { DbOrTx } from '../db/client.ts';
import { DomainError } from '../errors.ts';
import { getTenant } from '../tenants/index.ts';
import { nextWorkingDay, type CalendarOptions, type IsoDate } from './calendar.ts';
import { nonWorkingDaysOf } from './tenant-calendar.ts';

/**
 * The last due date at risk on `today`: `warnWorkingDaysBefore` working days ahead. A due date is at risk from the
 * day its deadline warning goes out (clockMoments: that many working days before it), and that day is on or before
 * today exactly when the due date is on or before this one.
 */
export function riskUntil(
  today: IsoDate,
  warnWorkingDaysBefore: number,
  opts: CalendarOptions = {},
): IsoDate {
  let d = today;
  for (let i = 0; i < warnWorkingDaysBefore; i++) d = nextWorkingDay(d, opts);
  return d;
}

/** A tenant's risk window today (server/codes/deadline-risk.ts), with the tenant and its extra non-working days. */
export async function riskWindowOf(db: DbOrTx, tenantId: string, now = new Date()) {
  const [tenant, extra] = await Promise.all([getTenant(db, tenantId), nonWorkingDaysOf(db, tenantId)]);
  if (!tenant) throw new DomainError('NOT_FOUND');
  const today = businessDate(now);
  const window: RiskWindow = {
    today,
    riskUntil: riskUntil(today, tenant.warnWorkingDaysBefore, { extraNonWorkingDays: extra }),
  };
  return { ...window, tenant, extra };
}
