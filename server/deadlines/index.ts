/**
 * The deadlines module's public face (.dependency-cruiser.cjs): the business calendar (Europe/Bucharest, Romanian
 * public holidays, a tenant's own non-working days), the legal deadline rules per category, the case clock's
 * instants, compensation for a missed deadline and what the regulator's report needs.
 */
export {
  addDays,
  BUSINESS_TZ,
  businessClock,
  COUNTING_READING_LABELS,
  COUNTING_READINGS,
  dueDate,
  endOfBusinessDay,
  isWorkingDay,
  legalHolidays,
  nextWorkingDay,
  orthodoxEaster,
  previousWorkingDay,
  registrationDate,
  startOfBusinessDay,
  type CalendarOptions,
  type CountingReading,
  type DeadlineTerm,
  type IsoDate,
  type OpeningHours,
} from './calendar.ts';
export {
  CLOCK_TIMERS,
  clockMoments,
  clockPaused,
  clockTimerMoves,
  dueAfterPause,
  nextCheckWhilePaused,
  type ClockMoments,
} from './clock.ts';
export { caseDeadline, clockInstants, type CaseDeadline, type ClockInstants } from './case-deadline.ts';
export { compensationLei, delayDays, type CompensationRule } from './compensation.ts';
export { computeDeadline, deadlineAndTenant, type DeadlineResult } from './deadlines.service.ts';
export {
  createDeadlineRulesService,
  type DeadlineRuleInput,
  type DeadlineRulesService,
} from './deadline-rules.service.ts';
export { DEFAULT_DEADLINE_RULES } from './default-rules.ts';
export { regulatorData, type RegulatorData } from './regulator.ts';
export { riskUntil, riskWindowOf } from './risk-window.ts';
export { deadlineRuleOf, ensureDefaultDeadlineRules, nonWorkingDaysOf } from './tenant-calendar.ts';
