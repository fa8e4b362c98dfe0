import type { Db } from '../db/client.ts';
import type { ComplaintCategory } from '../db/schema/index.ts';
import { complaintCategories, CATEGORY_LABELS } from '../codes/case-codes.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/index.ts';
import { type Principal } from '../auth/index.ts';
import { isWorkingDay, legalHolidays } from './calendar.ts';
import {
  deleteNonWorkingDay,
  insertNonWorkingDay,
  listDeadlineRules,
  listNonWorkingDayRows,
  updateDeadlineRule,
} from './deadline-rules.repo.ts';

export interface DeadlineRuleInput {
  days: number;
  unit: 'working' | 'calendar';
  extensionDays: number;
  legalBasis: string;
}

/**
 * Deadlines as data: the tenant admin edits the rule per category and the tenant's extra non-working days. A
 * change applies to complaints registered after it; a registered case keeps the rule frozen on it. Every change is
 * audited with the rule before and after.
 */
export function createDeadlineRulesService(db: Db) {
  async function list(p: Principal) {
    const rows = await listDeadlineRules(db, p.tenantId);
    const byCategory = new Map(rows.map((r) => [r.category, r]));
    return complaintCategories
      .filter((c) => byCategory.has(c))
      .map((category) => {
        const r = byCategory.get(category)!;
        return {
          category,
          label: CATEGORY_LABELS[category],
          days: r.days,
          unit: r.unit,
          extensionDays: r.extensionDays,
          extensionAllowed: r.extensionAllowed,
          legalBasis: r.legalBasis,
        };
      });
  }

  async function update(p: Principal, category: ComplaintCategory, input: DeadlineRuleInput) {
    const legalBasis = input.legalBasis.trim();
    if (legalBasis.length < 3) throw new DomainError('DEADLINE_RULE_INVALID', { field: 'legalBasis' });
    return db.transaction(async (tx) => {
      const before = (await listDeadlineRules(tx, p.tenantId)).find((r) => r.category === category);
      const row = await updateDeadlineRule(tx, p.tenantId, category, { ...input, legalBasis });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'deadline_rule.updated',
        entityType: 'deadline_rule',
        entityId: category,
        details: {
          before: before
            ? { days: before.days, unit: before.unit, extensionDays: before.extensionDays }
            : null,
          after: { days: row.days, unit: row.unit, extensionDays: row.extensionDays },
        },
      });
      return {
        category,
        label: CATEGORY_LABELS[category],
        days: row.days,
        unit: row.unit,
        extensionDays: row.extensionDays,
        extensionAllowed: row.extensionAllowed,
        legalBasis: row.legalBasis,
      };
    });
  }

  async function listExtraDays(p: Principal, year?: number) {
    const range = year ? { from: `${year}-01-01`, to: `${year}-12-31` } : undefined;
    return listNonWorkingDayRows(db, p.tenantId, range);
  }

  async function addExtraDay(p: Principal, day: string, reason: string) {
    if (
      Number.isNaN(new Date(`${day}T00:00:00Z`).getTime()) ||
      new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day
    )
      throw new DomainError('VALIDATION_FAILED', { field: 'day' }, 'Data nu este validă.');
    if (!isWorkingDay(day)) {
      const holiday = legalHolidays(Number(day.slice(0, 4))).get(day);
      throw new DomainError(
        'NON_WORKING_DAY_ALREADY',
        { day },
        holiday
          ? `${day} este deja sărbătoare legală (${holiday}).`
          : `${day} este deja zi nelucrătoare (sfârșit de săptămână).`,
      );
    }
    return db.transaction(async (tx) => {
      if (!(await insertNonWorkingDay(tx, p.tenantId, day, reason.trim())))
        throw new DomainError('NON_WORKING_DAY_EXISTS', { day });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'non_working_day.added',
        entityType: 'non_working_day',
        entityId: day,
      });
      return { day, reason: reason.trim() };
    });
  }

  async function removeExtraDay(p: Principal, day: string) {
    await db.transaction(async (tx) => {
      if (!(await deleteNonWorkingDay(tx, p.tenantId, day))) throw new DomainError('NOT_FOUND', { day });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'non_working_day.removed',
        entityType: 'non_working_day',
        entityId: day,
      });
    });
  }

  return { list, update, listExtraDays, addExtraDay, removeExtraDay };
}

export type DeadlineRulesService = ReturnType<typeof createDeadlineRulesService>;
