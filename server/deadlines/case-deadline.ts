import type { DbOrTx } from '../db/client.ts';
import type { ComplaintCategory } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { getTenant } from '../tenants/index.ts';
import { getDeadlineRule, listNonWorkingDays } from './deadline-rules.repo.ts';
import { dueDate as computeDueDate, type CountingReading, type IsoDate } from './calendar.ts';
import { clockMoments, type ClockMoments } from './clock.ts';

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
 * its clock. A complaint about several categories (triage's further categories) must meet the earliest of their
 * due dates, and an authority's own deadline (a referral from ANRE or ANPC) wins when it is earlier still: the case
 * must meet all of them (docs/legal.md, "Category and source" and "Several categories"). `rule` is the rule that
 * gave the legal due date (its unit counts the days of delay).
 */
export async function caseDeadline(
  db: DbOrTx,
  tenantId: string,
  c: {
    category: ComplaintCategory;
    registeredOn: IsoDate;
    authorityDueDate?: IsoDate | null;
    additionalCategories?: readonly ComplaintCategory[] | null;
  },
): Promise<CaseDeadline> {
  const categories = [c.category, ...(c.additionalCategories ?? []).filter((x) => x !== c.category)];
  const [clock, ...rules] = await Promise.all([
    tenantClock(db, tenantId),
    ...categories.map((category) => getDeadlineRule(db, tenantId, category)),
  ]);
  let legal: IsoDate | null = null;
  let rule: NonNullable<(typeof rules)[number]> | null = null;
  for (const [i, r] of rules.entries()) {
    if (!r) throw new DomainError('CATEGORY_HAS_NO_RULE', { category: categories[i] });
    const due = computeDueDate(
      c.registeredOn,
      { days: r.days, unit: r.unit },
      { extraNonWorkingDays: clock.extra, reading: clock.reading },
    );
    // The earliest wins; on a tie the main category's rule stays the one named.
    if (legal === null || due < legal) {
      legal = due;
      rule = r;
    }
  }
  const authorityDeadlineApplies = !!c.authorityDueDate && c.authorityDueDate < legal!;
  const due = authorityDeadlineApplies ? c.authorityDueDate! : legal!;
  return {
    dueDate: due,
    ...instantsFor(due, clock),
    rule: { days: rule!.days, unit: rule!.unit, legalBasis: rule!.legalBasis },
    authorityDeadlineApplies,
  };
}

/** The clock instants a case due on `due` runs on now (to find its pending timers before they move). */
export async function clockInstants(db: DbOrTx, tenantId: string, due: IsoDate): Promise<ClockInstants> {
  return instantsFor(due, await tenantClock(db, tenantId));
}
