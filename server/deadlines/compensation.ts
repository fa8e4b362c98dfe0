import { addDays, type IsoDate } from './calendar.ts';

export interface CompensationRule {
  baseLei: number;
  perDayLei: number;
}

/** Calendar days from the due date to the answer date (0 when answered in time). */
export function delayDays(due: IsoDate, answeredOn: IsoDate): number {
  if (answeredOn <= due) return 0;
  let n = 0;
  for (let d = due; d < answeredOn; d = addDays(d, 1)) n++;
  return n;
}

/** Order 83/2021 default: 100 lei, plus 50 lei for each day of delay from the second day (a per-tenant rule). */
export function compensationLei(days: number, rule: CompensationRule): number {
  return days <= 0 ? 0 : rule.baseLei + rule.perDayLei * (days - 1);
}
