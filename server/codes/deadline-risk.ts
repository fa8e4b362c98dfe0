/**
 * How a due date stands: late, at risk or on time (issue 14 item 4: the one definition; the inbox, the supervisor's
 * view, its counts and the web pages' deadline badge all use it).
 *
 * Late once the due date has passed. At risk from the day the deadline warning goes out: when the due date is at
 * most `riskUntil`, the day the tenant's warning lead time (its `warnWorkingDaysBefore` working days) reaches from
 * today (server/deadlines/risk-window.ts computes it with the tenant's calendar). Else on time.
 */

export const deadlineRisks = ['late', 'at_risk', 'on_time'] as const;
export type DeadlineRisk = (typeof deadlineRisks)[number];

/** Today and the last due date still at risk today (business dates, YYYY-MM-DD). */
export interface RiskWindow {
  today: string;
  riskUntil: string;
}

export function deadlineRisk(dueDate: string, w: RiskWindow): DeadlineRisk {
  if (dueDate < w.today) return 'late';
  if (dueDate <= w.riskUntil) return 'at_risk';
  return 'on_time';
}
