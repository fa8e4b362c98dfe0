import type { DbOrTx } from '../db/client.ts';
import type { ComplaintCategory } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { getDeadlineRule, getTenant, listNonWorkingDays } from '../tenants/tenants.repo.ts';
import { dueDate as computeDueDate, type CountingReading, type IsoDate } from '../deadlines/calendar.ts';
import { clockMoments, type ClockMoments } from '../deadlines/clock.ts';

/** The instants the engine's clock of a case runs on (the process variables of the same names). */
export type ClockInstants = ClockMoments;

export interface CaseDeadline extends ClockInstants {
  dueDate: IsoDate;
  rule: { days: number; unit: 'working' | 'calendar'; legalBasis: string };
  /** The authority's own deadline was earlier than the legal one and is the one the case must meet. */
  authorityDeadlineApplies: boolean;
}

interface TenantClock {
  warnWorkingDaysBefore: number;
  extra: Set<string>;
}

async function tenantClock(
  db: DbOrTx,
  tenantId: string,
): Promise<TenantClock & { reading: CountingReading }> {
  const [tenant, extra] = await Promise.all([getTenant(db, tenantId), listNonWorkingDays(db, tenantId)]);
  if (!tenant) throw new DomainError('NOT_FOUND', { tenantId });
  return { warnWorkingDaysBefore: tenant.warnWorkingDaysBefore, extra, reading: tenant.countingReading };
}

function instantsFor(due: IsoDate, clock: TenantClock): ClockInstants {
  return clockMoments(due, clock, { extraNonWorkingDays: clock.extra });
}

/**
 * The due date of a case of `category` registered on `registeredOn` under the tenant's rule, and the instants of
 * its clock. An authority's own deadline (a referral from ANRE or ANPC) wins when it is earlier: the case must meet
 * both (docs/legal.md, "Category and source").
 */
export async function caseDeadline(
  db: DbOrTx,
  tenantId: string,
  c: { category: ComplaintCategory; registeredOn: IsoDate; authorityDueDate?: IsoDate | null },
): Promise<CaseDeadline> {
  const [clock, rule] = await Promise.all([
    tenantClock(db, tenantId),
    getDeadlineRule(db, tenantId, c.category),
  ]);
  if (!rule) throw new DomainError('CATEGORY_HAS_NO_RULE', { category: c.category });
  const legal = computeDueDate(
    c.registeredOn,
    { days: rule.days, unit: rule.unit },
    { extraNonWorkingDays: clock.extra, reading: clock.reading },
  );
  const authorityDeadlineApplies = !!c.authorityDueDate && c.authorityDueDate < legal;
  const due = authorityDeadlineApplies ? c.authorityDueDate! : legal;
  return {
    dueDate: due,
    ...instantsFor(due, clock),
    rule: { days: rule.days, unit: rule.unit, legalBasis: rule.legalBasis },
    authorityDeadlineApplies,
  };
}

/** The clock instants a case due on `due` runs on now (to find its pending timers before they move). */
export async function clockInstants(db: DbOrTx, tenantId: string, due: IsoDate): Promise<ClockInstants> {
  return instantsFor(due, await tenantClock(db, tenantId));
}
