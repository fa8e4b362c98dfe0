import type { DbOrTx } from '../db/client.ts';
import type { ComplaintCategory } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { getTenant } from '../tenants/index.ts';
import { getDeadlineRule, listNonWorkingDays } from './deadline-rules.repo.ts';
import {
  dueDate,
  endOfBusinessDay,
  previousWorkingDay,
  registrationDate,
  startOfBusinessDay,
  type CountingReading,
  type IsoDate,
} from './calendar.ts';

export interface DeadlineResult {
  registeredOn: IsoDate;
  dueDate: IsoDate;
  /** End of the due day in Bucharest, ISO with offset: what the engine's timers and task due dates take. */
  dueAt: string;
  /** When the holder is warned (start of the day N working days before the due date) and when SEF is alerted. */
  warnAt: string;
  escalateAt: string;
  rule: { days: number; unit: 'working' | 'calendar'; legalBasis: string };
  /** The tenant's counting reading the due date was computed with. */
  reading: CountingReading;
}

/** What a complaint of this category received at `receivedAt` gets: registration date and legal due date. */
export async function computeDeadline(
  db: DbOrTx,
  tenantId: string,
  category: ComplaintCategory,
  receivedAt: Date,
): Promise<DeadlineResult> {
  return (await deadlineAndTenant(db, tenantId, category, receivedAt)).deadline;
}

/**
 * The deadline and the tenant row it was computed from: registration needs both, and reads the tenant once
 * (every read on the registration path is a statement per complaint, bench/README.md).
 */
export async function deadlineAndTenant(
  db: DbOrTx,
  tenantId: string,
  category: ComplaintCategory,
  receivedAt: Date,
): Promise<{ deadline: DeadlineResult; tenant: NonNullable<Awaited<ReturnType<typeof getTenant>>> }> {
  const [tenant, rule, extra] = await Promise.all([
    getTenant(db, tenantId),
    getDeadlineRule(db, tenantId, category),
    listNonWorkingDays(db, tenantId),
  ]);
  if (!tenant) throw new DomainError('NOT_FOUND', { tenantId });
  if (!rule) throw new DomainError('CATEGORY_HAS_NO_RULE', { category });
  const opts = { extraNonWorkingDays: extra };
  const registeredOn = registrationDate(
    receivedAt,
    { opensAt: tenant.opensAt, closesAt: tenant.closesAt },
    opts,
  );
  const reading = tenant.countingReading;
  const due = dueDate(registeredOn, { days: rule.days, unit: rule.unit }, { ...opts, reading });
  let warnDay = due;
  for (let i = 0; i < tenant.warnWorkingDaysBefore; i++) warnDay = previousWorkingDay(warnDay, opts);
  const deadline: DeadlineResult = {
    registeredOn,
    dueDate: due,
    dueAt: endOfBusinessDay(due),
    warnAt: startOfBusinessDay(warnDay),
    escalateAt: startOfBusinessDay(due),
    rule: { days: rule.days, unit: rule.unit, legalBasis: rule.legalBasis },
    reading,
  };
  return { deadline, tenant };
}
