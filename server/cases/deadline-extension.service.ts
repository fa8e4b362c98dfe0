import { MESSAGES } from '../../processes/topics.ts';
import { isClosedCase } from '../codes/case-codes.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import type { EngineClient } from '../engine/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/index.ts';
import { addCaseEvent, getCaseByNumber } from './cases.repo.ts';
import type { Case, ComplaintCategory, Tenant } from '../db/schema/index.ts';
import { deliveryChannel } from '../codes/delivery.ts';
import { roDate } from '../mail/templates/render.ts';
import { getTenant } from '../tenants/index.ts';
import { deadlineRuleOf, dueDate, nonWorkingDaysOf, previousWorkingDay } from '../deadlines/index.ts';
import { postalAddressOf } from './letters.service.ts';

/** Who proposes: the person holding (assigned) an open task of the case, or the head of service (SEF). */
export interface ExtensionActor {
  tenantId: string;
  userId: string;
  roles: readonly string[];
}

/**
 * When an extension is looked at: an officer `proposes` one (requestDeadlineExtension), the case page `offers` it
 * (extensionOptions, which knows the category's maximum), or SEF `approved` one that the extend-deadline worker is
 * about to apply (the days and the moment known too).
 */
export type ExtensionCheck =
  | { stage: 'proposal' }
  | { stage: 'offer'; maxDays: number }
  | {
      stage: 'approved';
      tenant: Pick<Tenant, 'postalDeliveryWorkingDays'>;
      days: number;
      maxDays: number;
      today: string;
      extraNonWorkingDays: ReadonlySet<string>;
    };

/**
 * Why a case's deadline cannot be extended, or null when it can (IL-32, Law 31/2018): the one statement of the
 * rules, in the words shown to the officer or recorded on the case. An extension is made once; never after the
 * answer was communicated or the case was closed; only when the category's deadline rule allows one (from the
 * offer on), of at most its days; and, when applied, only if its notice reaches the consumer before the original
 * due date ("with prior notice"): by e-mail before the end of the due day, by letter at least the tenant's
 * `postalDeliveryWorkingDays` working days before it, and never with neither an e-mail nor a postal address.
 */
export async function extensionRefusal(
  db: DbOrTx,
  c: Pick<
    Case,
    'tenantId' | 'number' | 'dueDate' | 'extendedAt' | 'answerCommunicatedAt' | 'status' | 'contactEmail'
  >,
  check: ExtensionCheck,
): Promise<string | null> {
  if (c.extendedAt) return 'Termenul a fost deja prelungit o dată; nu se mai poate prelungi.';
  if (c.answerCommunicatedAt || isClosedCase(c.status))
    return check.stage === 'approved'
      ? 'Răspunsul a fost deja comunicat; prelungirea nu mai are obiect.'
      : 'Răspunsul a fost comunicat sau dosarul este închis: termenul nu se mai prelungește.';
  if (check.stage === 'proposal') return null;
  if (check.maxDays <= 0)
    return 'Regula de termen a categoriei nu permite prelungirea (Administrare → Termene).';
  if (check.stage === 'offer') return null;
  const { days, maxDays: max } = check;
  if (days > max) return `Prelungirea cerută (${days} zile) depășește maximul categoriei (${max} zile).`;
  const byPost = deliveryChannel(c) === 'post';
  let lastDay = c.dueDate;
  if (byPost)
    for (let i = 0; i < check.tenant.postalDeliveryWorkingDays; i++)
      lastDay = previousWorkingDay(lastDay, { extraNonWorkingDays: check.extraNonWorkingDays });
  if (check.today > lastDay)
    return `Înștiințarea nu mai poate ajunge la client înainte de termenul inițial (${roDate(c.dueDate)})${byPost ? ' prin poștă' : ''}; prelungirea se refuză.`;
  if (byPost && !(await postalAddressOf(db, c.tenantId, c.number)))
    return 'Clientul nu are nici e-mail, nici adresă poștală: înștiințarea prealabilă nu este posibilă.';
  return null;
}

/**
 * SEF approved an extension (IL-32): the days it moves the deadline by (those proposed, else the category rule's
 * maximum), the rule, and why it cannot be applied today (extensionRefusal), null when it can.
 */
export async function approvedExtension(
  db: DbOrTx,
  c: Case,
  tenant: Tenant,
  input: { askedDays: number; today: string; extraNonWorkingDays: ReadonlySet<string> },
) {
  const rule = await deadlineRuleOf(db, c.tenantId, c.category);
  const max = rule?.extensionDays ?? 0;
  const asked = input.askedDays;
  const days = Number.isInteger(asked) && asked > 0 ? asked : max;
  const refusal = await extensionRefusal(db, c, {
    stage: 'approved',
    tenant,
    days,
    maxDays: max,
    today: input.today,
    extraNonWorkingDays: input.extraNonWorkingDays,
  });
  return { rule, days, max, refusal };
}

/** The furthest date an extension can reach: the category rule's `extensionDays`, counted in the rule's unit. */
export async function extensionLimit(
  db: Db,
  tenantId: string,
  c: { category: ComplaintCategory; dueDate: string },
): Promise<{ maxDays: number; unit: 'working' | 'calendar'; latest: string | null }> {
  const [rule, tenant, extra] = await Promise.all([
    deadlineRuleOf(db, tenantId, c.category),
    getTenant(db, tenantId),
    nonWorkingDaysOf(db, tenantId),
  ]);
  const maxDays = rule?.extensionDays ?? 0;
  const unit = rule?.unit ?? 'working';
  const latest =
    maxDays > 0
      ? dueDate(
          c.dueDate,
          { days: maxDays, unit },
          { extraNonWorkingDays: extra, reading: tenant?.countingReading ?? 'civil_code' },
        )
      : null;
  return { maxDays, unit, latest };
}

/**
 * The days (in the rule's unit) that move the due date to `newDueDate`, as the extend-deadline worker counts them;
 * refused with a clear message when the date is not after the current due date, is beyond the category's maximum,
 * or cannot be a term's end (a non-working day).
 */
async function daysUntil(
  db: Db,
  tenantId: string,
  c: { category: ComplaintCategory; dueDate: string },
  newDueDate: string,
): Promise<number> {
  const limit = await extensionLimit(db, tenantId, c);
  if (limit.maxDays <= 0)
    throw new DomainError(
      'EXTENSION_NOT_POSSIBLE',
      { category: c.category },
      'Regula de termen a categoriei nu permite prelungirea (Administrare → Termene).',
    );
  if (newDueDate <= c.dueDate)
    throw new DomainError(
      'EXTENSION_DATE_INVALID',
      { field: 'newDueDate' },
      `Noul termen trebuie să fie după termenul actual (${roDate(c.dueDate)}).`,
    );
  if (newDueDate > limit.latest!)
    throw new DomainError(
      'EXTENSION_DATE_INVALID',
      { field: 'newDueDate' },
      `Noul termen poate fi cel mult ${roDate(limit.latest!)} (prelungirea maximă a categoriei: ${limit.maxDays} ${limit.unit === 'working' ? 'zile lucrătoare' : 'zile'}).`,
    );
  const [tenant, extra] = await Promise.all([getTenant(db, tenantId), nonWorkingDaysOf(db, tenantId)]);
  const opts = { extraNonWorkingDays: extra, reading: tenant?.countingReading ?? 'civil_code' };
  for (let days = 1; days <= limit.maxDays; days++) {
    const d = dueDate(c.dueDate, { days, unit: limit.unit }, opts);
    if (d === newDueDate) return days;
    if (d > newDueDate) break;
  }
  throw new DomainError(
    'EXTENSION_DATE_INVALID',
    { field: 'newDueDate' },
    'Noul termen trebuie să fie o zi lucrătoare (un termen nu se poate încheia într-o zi nelucrătoare).',
  );
}

/**
 * An officer proposes to extend a case's deadline (IL-32), on any path: the proposal reaches the case's process
 * (message `deadline-extension-requested`), where SEF approves or refuses it and the extension is applied only if
 * its notice reaches the consumer before the original due date (the extend-deadline worker). The proposal comes
 * from whoever holds an open task of the case (or SEF), with a new date (or a number of days) within the category
 * rule's maximum, checked here so that SEF never sees an impossible request.
 */
export async function requestDeadlineExtension(
  deps: { db: Db; engine: EngineClient },
  actor: ExtensionActor,
  input: { caseNumber: string; reason: string; days?: number | undefined; newDueDate?: string | undefined },
): Promise<{ caseNumber: string; requested: true; days: number | null; newDueDate: string | null }> {
  const row = await getCaseByNumber(deps.db, actor.tenantId, input.caseNumber);
  if (!row) throw new DomainError('CASE_NOT_FOUND', { number: input.caseNumber });
  const c = row.case;
  const refusal = await extensionRefusal(deps.db, c, { stage: 'proposal' });
  if (refusal) throw new DomainError('EXTENSION_NOT_POSSIBLE', { number: c.number }, refusal);
  if (!actor.roles.includes('supervisor')) {
    const held = await deps.engine.queryTasks(
      { tenantIdIn: [actor.tenantId], processInstanceBusinessKey: c.number, assignee: actor.userId },
      { firstResult: 0, maxResults: 1 },
    );
    if (held.length === 0) throw new DomainError('EXTENSION_NOT_CASE_HOLDER', { number: c.number });
  }
  if (input.days !== undefined && input.newDueDate !== undefined)
    throw new DomainError(
      'EXTENSION_DATE_INVALID',
      { field: 'newDueDate' },
      'Indicați fie noul termen, fie numărul de zile, nu amândouă.',
    );
  let days = input.days ?? null;
  if (input.newDueDate !== undefined) days = await daysUntil(deps.db, actor.tenantId, c, input.newDueDate);
  else if (days !== null) {
    const limit = await extensionLimit(deps.db, actor.tenantId, c);
    if (days > limit.maxDays)
      throw new DomainError(
        'EXTENSION_DATE_INVALID',
        { field: 'days' },
        limit.maxDays > 0
          ? `Prelungirea poate fi de cel mult ${limit.maxDays} ${limit.unit === 'working' ? 'zile lucrătoare' : 'zile'} pentru această categorie.`
          : 'Regula de termen a categoriei nu permite prelungirea (Administrare → Termene).',
      );
  }
  const reason = input.reason.trim();
  const delivered = await deps.engine.correlateMessage({
    messageName: MESSAGES.extensionRequested,
    tenantId: actor.tenantId,
    businessKey: c.number,
    variables: { extensionReason: reason, extensionDays: days ? String(days) : null },
    all: true,
  });
  if (!delivered)
    throw new DomainError(
      'EXTENSION_NOT_POSSIBLE',
      { number: c.number },
      'Procesul reclamației nu mai primește propuneri de prelungire.',
    );
  const until = input.newDueDate ? ` (noul termen propus: ${roDate(input.newDueDate)})` : '';
  await deps.db.transaction(async (tx) => {
    await addCaseEvent(tx, {
      tenantId: actor.tenantId,
      caseId: c.id,
      type: 'extension_requested',
      visibility: 'internal',
      message: `Prelungire a termenului propusă${until}, în așteptarea aprobării șefului de serviciu: ${reason}`,
      actorId: actor.userId,
    });
    await appendAudit(tx, {
      tenantId: actor.tenantId,
      actorId: actor.userId,
      actorKind: 'user',
      action: 'case.extension_requested',
      entityType: 'case',
      entityId: c.id,
      details: { reason, days, newDueDate: input.newDueDate ?? null },
    });
  });
  return { caseNumber: c.number, requested: true, days, newDueDate: input.newDueDate ?? null };
}

/** The SEF task that decides a proposed extension (complaint.bpmn, IL-32). */
const APPROVE_EXTENSION_TASK = 'approveExtension';

/**
 * What the case page offers about an extension: whether this person may propose one now (they hold an open task of
 * the case, or are SEF), the latest date the category allows, and a proposal waiting for SEF (its task, for SEF).
 */
export async function extensionOptions(
  deps: { db: Db; engine: EngineClient },
  actor: ExtensionActor,
  caseNumber: string,
) {
  const row = await getCaseByNumber(deps.db, actor.tenantId, caseNumber);
  if (!row) throw new DomainError('CASE_NOT_FOUND', { number: caseNumber });
  const c = row.case;
  const closed = !!c.answerCommunicatedAt || isClosedCase(c.status);
  const [limit, tasks] = await Promise.all([
    extensionLimit(deps.db, actor.tenantId, c),
    closed
      ? Promise.resolve([])
      : deps.engine.queryTasks(
          { tenantIdIn: [actor.tenantId], processInstanceBusinessKey: c.number },
          { firstResult: 0, maxResults: 50 },
        ),
  ]);
  const pending = tasks.find((t) => t.taskDefinitionKey === APPROVE_EXTENSION_TASK) ?? null;
  const holds = tasks.some((t) => t.assignee === actor.userId);
  const isSef = actor.roles.includes('supervisor');
  const blocked =
    (await extensionRefusal(deps.db, c, { stage: 'offer', maxDays: limit.maxDays })) ??
    (pending
      ? 'O prelungire propusă așteaptă decizia șefului de serviciu.'
      : !holds && !isSef
        ? 'Prelungirea o propune ofițerul care are în lucru o sarcină a reclamației.'
        : null);
  return {
    caseNumber: c.number,
    canPropose: blocked === null,
    blockedReason: blocked,
    dueDate: c.dueDate,
    originalDueDate: c.originalDueDate,
    extendedAt: c.extendedAt?.toISOString() ?? null,
    extensionReason: c.extensionReason,
    maxDays: limit.maxDays,
    unit: limit.unit,
    latestDueDate: limit.latest,
    pendingApproval: pending ? { taskId: isSef ? pending.id : null, created: pending.created } : null,
  };
}
