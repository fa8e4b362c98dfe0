import type { Case, Tenant } from '../db/schema/index.ts';
import {
  addDays,
  dueDate as computeDue,
  endOfBusinessDay,
  isWorkingDay,
  nextWorkingDay,
  previousWorkingDay,
  startOfBusinessDay,
  type CalendarOptions,
  type IsoDate,
} from './calendar.ts';

/**
 * The one legal clock of a case (processes/complaint.bpmn: three non-interrupting timer event sub-processes, so
 * the warning, the escalation and the breach are watched whatever the case waits for). Its moments follow the
 * case's current due date; when that moves (an approved extension, a pause for the consumer's completion, a
 * reclassification) the pending timers move with it.
 */
export interface ClockMoments {
  /** End of the due day (the breach timer, the tasks' due date). */
  dueAt: string;
  /** Start of the day the holder is warned (N working days before the due date). */
  warnAt: string;
  /** Start of the due day (the escalation to SEF). */
  escalateAt: string;
}

/** The BPMN timer start events of the clock, by what they fire. */
export const CLOCK_TIMERS = {
  warnAt: 'warnTimer',
  escalateAt: 'escalateTimer',
  dueAt: 'breachTimer',
} as const;

export function clockMoments(
  due: IsoDate,
  tenant: Pick<Tenant, 'warnWorkingDaysBefore'>,
  opts: CalendarOptions = {},
): ClockMoments {
  let warnDay = due;
  for (let i = 0; i < tenant.warnWorkingDaysBefore; i++) warnDay = previousWorkingDay(warnDay, opts);
  return {
    dueAt: endOfBusinessDay(due),
    warnAt: startOfBusinessDay(warnDay),
    escalateAt: startOfBusinessDay(due),
  };
}

/** The timer due instants of the clock for a due date: what `EngineClient.moveTimers` takes. */
export function clockTimerMoves(m: ClockMoments): Record<string, string> {
  return {
    [CLOCK_TIMERS.warnAt]: m.warnAt,
    [CLOCK_TIMERS.escalateAt]: m.escalateAt,
    [CLOCK_TIMERS.dueAt]: m.dueAt,
  };
}

/**
 * Whether the clock stands still now: only while we wait for the consumer's completion of an incomplete complaint
 * and only when the tenant chose that reading (docs/legal.md: by default the deadline keeps running).
 */
export function clockPaused(
  c: Pick<Case, 'completionRequestedAt' | 'completionReceivedAt'>,
  tenant: Pick<Tenant, 'completionPausesDeadline'>,
): boolean {
  return tenant.completionPausesDeadline && !!c.completionRequestedAt && !c.completionReceivedAt;
}

/** When a paused clock is looked at again: the start of the next working day. */
export function nextCheckWhilePaused(today: IsoDate, opts: CalendarOptions = {}): string {
  return startOfBusinessDay(nextWorkingDay(today, opts));
}

/**
 * The due date after a pause from `from` to `to` (both business dates): moved by the days the clock stood still,
 * in the rule's unit (working days for a working-day term). A pause that began and ended the same day moves nothing.
 */
export function dueAfterPause(
  due: IsoDate,
  from: IsoDate,
  to: IsoDate,
  unit: 'working' | 'calendar',
  opts: CalendarOptions = {},
): IsoDate {
  let days = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1))
    if (unit === 'calendar' || isWorkingDay(d, opts)) days++;
  if (days === 0) return due;
  if (unit === 'working') return computeDue(due, { days, unit: 'working' }, opts);
  // Calendar days: the end moved to the next working day when it falls on a non-working one.
  return computeDue(due, { days, unit: 'calendar' }, opts);
}
