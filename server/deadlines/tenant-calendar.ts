import type { DbOrTx } from '../db/client.ts';
import { DEFAULT_DEADLINE_RULES } from './default-rules.ts';
import { getDeadlineRule, insertDeadlineRules, listNonWorkingDays } from './deadline-rules.repo.ts';

/**
 * What the deadlines module tells other modules about a tenant's calendar: its own non-working days (on top of
 * the public holidays calendar.ts knows) and its deadline rule per category. The tables stay the deadlines
 * module's (server/db/schema/README.md).
 */
export function nonWorkingDaysOf(db: DbOrTx, tenantId: string): Promise<Set<string>> {
  return listNonWorkingDays(db, tenantId);
}

export function deadlineRuleOf(db: DbOrTx, tenantId: string, category: string) {
  return getDeadlineRule(db, tenantId, category);
}

/** A new tenant starts with the legal default rules; a rule it already has stays as it is. */
export function ensureDefaultDeadlineRules(db: DbOrTx, tenantId: string): Promise<void> {
  return insertDeadlineRules(
    db,
    tenantId,
    Object.entries(DEFAULT_DEADLINE_RULES).map(([category, r]) => ({ category, ...r })),
  );
}
