import { type Principal } from '../auth/index.ts';
import { appendAudit } from '../audit/index.ts';
import {
  CATEGORY_LABELS,
  CASE_SOURCE_LABELS,
  CUSTOMER_TYPE_LABELS,
  ENERGY_LABELS,
  type CaseSource,
  type ComplaintCategory,
  type CustomerType,
  type Energy,
} from '../codes/case-codes.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Case } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { roDate } from '../mail/templates/render.ts';
import { caseDeadline, clockInstants } from '../deadlines/index.ts';
import { addCaseEvent } from './cases.repo.ts';

export interface Classification {
  category?: ComplaintCategory;
  customerType?: CustomerType;
  energy?: Energy;
  /** Who brought it; an authority's referral with its name, its own number and its deadline (when it set one). */
  source?: CaseSource;
  authorityName?: string;
  authorityReference?: string;
  authorityDueDate?: string;
  /** Further categories the complaint is also about; the due date becomes the earliest of all categories'. */
  additionalCategories?: ComplaintCategory[];
}

type Field =
  | 'category'
  | 'customerType'
  | 'energy'
  | 'source'
  | 'authorityName'
  | 'authorityReference'
  | 'authorityDueDate'
  | 'additionalCategories'
  | 'dueDate';

export interface Reclassification {
  /** What changes on the case row. */
  caseSet: Partial<
    Pick<
      Case,
      | 'category'
      | 'customerType'
      | 'energy'
      | 'source'
      | 'authorityName'
      | 'authorityReference'
      | 'authorityDueDate'
      | 'additionalCategories'
      | 'dueDate'
      | 'deadlineRule'
    >
  >;
  /** What the process reads (the DMN's `category`, the clock's instants), set with the task's completion. */
  variables: Record<string, string>;
  /** The case's pending timers to move when the due date moved (old instant -> new instant). */
  timerMoves: Array<{ from: string; to: string }> | null;
  changes: Array<{ field: Field; from: string | null; to: string | null }>;
  reason: string;
}

const LABEL: Record<Field, (v: string | null) => string> = {
  category: (v) => (v ? (CATEGORY_LABELS[v as ComplaintCategory] ?? v) : '—'),
  customerType: (v) => (v ? (CUSTOMER_TYPE_LABELS[v as CustomerType] ?? v) : 'nestabilit'),
  energy: (v) => (v ? (ENERGY_LABELS[v as Energy] ?? v) : 'nestabilită'),
  source: (v) => (v ? (CASE_SOURCE_LABELS[v as CaseSource] ?? v) : '—'),
  authorityName: (v) => v ?? '—',
  authorityReference: (v) => v ?? '—',
  authorityDueDate: (v) => (v ? roDate(v) : '—'),
  additionalCategories: (v) =>
    v
      ? v
          .split(',')
          .map((x) => CATEGORY_LABELS[x as ComplaintCategory] ?? x)
          .join(', ')
      : '—',
  dueDate: (v) => (v ? roDate(v) : '—'),
};
const FIELD_WORDS: Record<Field, string> = {
  category: 'categoria',
  customerType: 'tipul clientului',
  energy: 'energia',
  source: 'sursa',
  authorityName: 'autoritatea',
  authorityReference: 'numărul autorității',
  authorityDueDate: 'termenul autorității',
  additionalCategories: 'categoriile suplimentare',
  dueDate: 'termenul',
};

/**
 * What the triage officer's classification (IL-06) changes on a case: category, customer type and energy; a new
 * category brings the due date under its rule, counted from the registration date (an authority's earlier deadline
 * still wins), the process variables the routing reads and the clock's timers. Null when nothing changes. Any
 * change needs its reason (the triage comment): the history says who changed what, from what, to what and why.
 */
export async function reclassification(
  db: DbOrTx,
  tenantId: string,
  c: Case,
  want: Classification,
  reason: string,
): Promise<Reclassification | null> {
  const changes: Reclassification['changes'] = [];
  const caseSet: Reclassification['caseSet'] = {};
  const variables: Record<string, string> = {};
  if (want.category && want.category !== c.category) {
    changes.push({ field: 'category', from: c.category, to: want.category });
    caseSet.category = want.category;
    variables.category = want.category;
  }
  if (want.customerType && want.customerType !== c.customerType) {
    changes.push({ field: 'customerType', from: c.customerType, to: want.customerType });
    caseSet.customerType = want.customerType;
    variables.customerType = want.customerType;
  }
  if (want.energy && want.energy !== c.energy) {
    changes.push({ field: 'energy', from: c.energy, to: want.energy });
    caseSet.energy = want.energy;
    variables.energy = want.energy;
  }
  // The source, and for an authority its name, number and deadline (a consumer's case has none of them).
  const source = want.source ?? c.source;
  if (source !== c.source) {
    changes.push({ field: 'source', from: c.source, to: source });
    caseSet.source = source;
    variables.source = source;
  }
  const authority = {
    authorityName: source === 'authority' ? (want.authorityName ?? c.authorityName) : null,
    authorityReference: source === 'authority' ? (want.authorityReference ?? c.authorityReference) : null,
    authorityDueDate: source === 'authority' ? (want.authorityDueDate ?? c.authorityDueDate) : null,
  };
  if (source === 'authority' && !authority.authorityName)
    throw new DomainError(
      'TASK_FORM_INVALID',
      { field: 'authorityName' },
      'Pentru o sesizare transmisă de o autoritate indicați numele autorității (de exemplu ANRE sau ANPC).',
    );
  for (const field of ['authorityName', 'authorityReference', 'authorityDueDate'] as const) {
    if (authority[field] !== c[field]) {
      changes.push({ field, from: c[field], to: authority[field] });
      caseSet[field] = authority[field];
    }
  }
  // Further categories (the main one is never repeated among them); their order does not matter.
  const main = caseSet.category ?? c.category;
  const extra = want.additionalCategories
    ? [...new Set(want.additionalCategories)].filter((x) => x !== main).sort()
    : c.additionalCategories.filter((x) => x !== main);
  const extraChanged = extra.join(',') !== [...c.additionalCategories].sort().join(',');
  if (extraChanged) {
    changes.push({
      field: 'additionalCategories',
      from: c.additionalCategories.join(',') || null,
      to: extra.join(',') || null,
    });
    caseSet.additionalCategories = extra;
  }
  if (changes.length === 0) return null;
  if (reason.trim().length < 5)
    throw new DomainError(
      'TASK_FORM_INVALID',
      { field: 'comment' },
      'Motivați reîncadrarea: scrieți de ce se schimbă categoria, tipul clientului, energia sau sursa.',
    );
  let timerMoves: Reclassification['timerMoves'] = null;
  if (caseSet.category || extraChanged || authority.authorityDueDate !== c.authorityDueDate) {
    const [next, before] = await Promise.all([
      caseDeadline(db, tenantId, {
        category: main,
        registeredOn: c.registeredOn,
        authorityDueDate: authority.authorityDueDate,
        additionalCategories: extra,
      }),
      clockInstants(db, tenantId, c.dueDate),
    ]);
    caseSet.deadlineRule = next.rule;
    if (next.dueDate !== c.dueDate) {
      changes.push({ field: 'dueDate', from: c.dueDate, to: next.dueDate });
      caseSet.dueDate = next.dueDate;
      Object.assign(variables, {
        dueDate: next.dueDate,
        dueAt: next.dueAt,
        warnAt: next.warnAt,
        escalateAt: next.escalateAt,
      });
      timerMoves = [
        { from: before.dueAt, to: next.dueAt },
        { from: before.warnAt, to: next.warnAt },
        { from: before.escalateAt, to: next.escalateAt },
      ];
    }
  }
  return { caseSet, variables, timerMoves, changes, reason: reason.trim() };
}

/** The history of a reclassification: the internal timeline, the consumer's (a new due date) and the audit. */
export async function recordReclassification(
  tx: DbOrTx,
  p: Principal,
  caseId: string,
  taskName: string,
  r: Reclassification,
) {
  const said = r.changes
    .map((ch) => `${FIELD_WORDS[ch.field]}: ${LABEL[ch.field](ch.from)} → ${LABEL[ch.field](ch.to)}`)
    .join('; ');
  await addCaseEvent(tx, {
    tenantId: p.tenantId,
    caseId,
    type: 'reclassified',
    visibility: 'internal',
    message: `${taskName}: reîncadrare (${said}). Motiv: ${r.reason}`,
    actorId: p.userId,
  });
  const due = r.changes.find((ch) => ch.field === 'dueDate');
  if (due) {
    await addCaseEvent(tx, {
      tenantId: p.tenantId,
      caseId,
      type: 'due_date_recomputed',
      visibility: 'public',
      message: r.caseSet.category
        ? `Reclamația a fost încadrată ca „${LABEL.category(r.caseSet.category)}”; termenul de răspuns este ${LABEL.dueDate(due.to)}.`
        : `Termenul de răspuns este ${LABEL.dueDate(due.to)}.`,
      actorId: p.userId,
    });
  }
  await appendAudit(tx, {
    tenantId: p.tenantId,
    actorId: p.userId,
    actorKind: 'user',
    action: 'case.reclassified',
    entityType: 'case',
    entityId: caseId,
    details: { changes: r.changes, reason: r.reason },
  });
}
