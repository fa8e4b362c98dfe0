import { addDays, isWorkingDay, type CalendarOptions, type IsoDate } from './calendar.ts';

export interface CompensationRule {
  baseLei: number;
  perDayLei: number;
}

/**
 * Days of delay from the due date to the day the answer was communicated (0 when in time), counted in the
 * deadline rule's unit: calendar days, or working days when the deadline itself is in working days (a term of 15
 * working days is late by the working days after it, not by the weekend that follows).
 */
export function delayDays(
  due: IsoDate,
  answeredOn: IsoDate,
  unit: 'working' | 'calendar' = 'calendar',
  opts: CalendarOptions = {},
): number {
  if (answeredOn <= due) return 0;
  let n = 0;
  for (let d = addDays(due, 1); d <= answeredOn; d = addDays(d, 1))
    if (unit === 'calendar' || isWorkingDay(d, opts)) n++;
  // Communicated on a non-working day after a working-day deadline: at least one day late.
  return Math.max(n, 1);
}

/** Order 83/2021 default: 100 lei, plus 50 lei for each day of delay from the second day (a per-tenant rule). */
export function compensationLei(days: number, rule: CompensationRule): number {
  return days <= 0 ? 0 : rule.baseLei + rule.perDayLei * (days - 1);
}
