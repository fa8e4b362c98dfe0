/**
 * The "identify consumer" task's service (createIdentificationService below): the candidates shown to the officer
 * and the confirmation that sets the case's customer and completes the task. One file although past 300 lines:
 * the confirmation's double-submit and engine-failure handling (completion intent, resume) belongs to that one task.
 */
import { customerTypeOf, energyOf } from '../codes/case-codes.ts';
import { searchText } from '../db/search-text.ts';
import { type Principal } from '../auth/index.ts';
import { appendAudit, logAccess } from '../audit/index.ts';
import { addCaseEvent, getCaseByNumber, setCaseConsumer } from '../cases/index.ts';
import { getCustomer, getPlace } from '../customers/index.ts';
import type { Db } from '../db/client.ts';
import type { TaskCompletion } from '../db/schema/index.ts';
import { EngineError, type EngineClient, type EngineTask } from '../engine/client.ts';
import { noteTaskAssignee } from '../task-read-model/index.ts';
import {
  applyCompletion,
  completionOutcomeUnknown,
  getCompletion,
  latestCompletionOfCase,
  markEngineCompleted,
  outcomeUnknown,
  recordCompletionIntent,
  taskGone,
} from '../tasks/index.ts';
import { DomainError } from '../errors.ts';
import {
  confirmCandidates,
  customersByIds,
  listCandidatesOfCase,
  placesByIds,
} from './identification.repo.ts';

/** The task's completion was recorded by a concurrent request (a double submit) while this one validated. */
class AlreadyRecorded extends Error {}

type Choice = { customerId: string; placeId?: string | null | undefined };

/** A repeat of the same confirmation (a double submit, a retry); a different choice after it is not a repeat. */
function sameChoice(intent: TaskCompletion, input: Choice): boolean {
  const vars = intent.variables as { customerId?: string; placeId?: string };
  return vars.customerId === input.customerId && (vars.placeId ?? '') === (input.placeId ?? '');
}

/** The user task of the complaint process in which an intake officer confirms who complained. */
export const IDENTIFY_TASK_KEY = 'identify';

const canSeeAll = (p: Principal) => p.roles.includes('supervisor') || p.roles.includes('admin');

/**
 * The "identify consumer" task: the scored candidates the intake stored for a case, and the officer's choice
 * (one of them, or any customer of the tenant found by search), which sets the case's customer and place and
 * completes the task with `customerKnown = true`.
 */
export function createIdentificationService(deps: { db: Db; engine: EngineClient }) {
  const { db, engine } = deps;

  async function caseOf(p: Principal, number: string) {
    const row = await getCaseByNumber(db, p.tenantId, number);
    if (!row) throw new DomainError('CASE_NOT_FOUND');
    return row;
  }

  /** The open identify task of the case, if the caller may act on it (tenant, job role or supervisor). */
  async function openTask(p: Principal, number: string): Promise<EngineTask | null> {
    const tasks = await engine.queryTasks(
      { tenantIdIn: [p.tenantId], processInstanceBusinessKey: number },
      { firstResult: 0, maxResults: 50 },
    );
    const task = tasks.find((t) => t.taskDefinitionKey === IDENTIFY_TASK_KEY && t.tenantId === p.tenantId);
    if (!task) return null;
    if (task.assignee === p.userId || canSeeAll(p)) return task;
    const groups = await engine.getCandidateGroups(task.id);
    return groups.some((g) => p.jobRoles.includes(g)) ? task : null;
  }

  async function candidates(p: Principal, number: string, via: string | null = null) {
    const { case: c, customer, place } = await caseOf(p, number);
    const [rows, task] = await Promise.all([listCandidatesOfCase(db, p.tenantId, c.id), openTask(p, number)]);
    const customerIds = [...new Set(rows.map((r) => r.customerId))];
    const placeIds = [...new Set(rows.map((r) => r.placeId).filter((x): x is string => !!x))];
    const [custs, plcs] = await Promise.all([
      customersByIds(db, p.tenantId, customerIds),
      placesByIds(db, p.tenantId, placeIds),
    ]);
    const cById = new Map(custs.map((x) => [x.id, x]));
    const pById = new Map(plcs.map((x) => [x.id, x]));
    // One line per customer/place (the same candidate can come from the complaint and from a reply).
    const seen = new Set<string>();
    const items = [];
    for (const r of rows) {
      const key = `${r.customerId}:${r.placeId ?? ''}`;
      const cu = cById.get(r.customerId);
      if (seen.has(key) || !cu) continue;
      seen.add(key);
      const pl = r.placeId ? pById.get(r.placeId) : undefined;
      items.push({
        customerId: cu.id,
        customerCode: cu.customerCode,
        name: cu.name,
        address: cu.address,
        placeId: pl?.id ?? null,
        placeCode: pl?.placeCode ?? null,
        placeAddress: pl?.address ?? null,
        energy: pl?.energy ?? null,
        score: r.score,
        certain: r.certain,
        evidence: r.evidence.map((e) => ({ kind: e.kind, weight: e.weight })),
        confirmed: r.confirmedAt !== null,
      });
    }
    // Candidates show customers' personal data: the view is audited.
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'case.identification_viewed',
      entityType: 'case',
      entityId: c.id,
      details: { candidates: items.length },
    });
    // The view shows the case's contact and every candidate's name and address: the access log names the case
    // and each customer shown (the current one too), in one insert.
    const shown = new Set([...(customer ? [customer.id] : []), ...items.map((i) => i.customerId)]);
    await logAccess(db, [
      {
        tenantId: p.tenantId,
        actorId: p.userId,
        subjectType: 'case',
        subjectId: c.id,
        customerId: c.customerId,
        caseId: c.id,
        via,
      },
      ...[...shown].map((id) => ({
        tenantId: p.tenantId,
        actorId: p.userId,
        subjectType: 'customer' as const,
        subjectId: id,
        customerId: id,
        caseId: c.id,
        via,
      })),
    ]);
    return {
      number: c.number,
      subject: c.subject,
      contactName: c.contactName,
      contactEmail: c.contactEmail,
      contactPhone: c.contactPhone,
      current: customer
        ? {
            customerId: customer.id,
            customerCode: customer.customerCode,
            name: customer.name,
            placeId: place?.id ?? null,
            placeCode: place?.placeCode ?? null,
          }
        : null,
      task: task ? { id: task.id, assignee: task.assignee, assignedToMe: task.assignee === p.userId } : null,
      candidates: items,
    };
  }

  /** The identify task of the case that the caller may complete: its job role (the task's candidate group) is theirs. */
  async function taskToComplete(p: Principal, number: string): Promise<EngineTask | null> {
    const tasks = await engine.queryTasks(
      { tenantIdIn: [p.tenantId], processInstanceBusinessKey: number },
      { firstResult: 0, maxResults: 50 },
    );
    const task = tasks.find((t) => t.taskDefinitionKey === IDENTIFY_TASK_KEY && t.tenantId === p.tenantId);
    if (!task) return null;
    // The job role that owns the task decides, on the server; a supervisor's permission alone is not enough.
    const groups = await engine.getCandidateGroups(task.id);
    if (!groups.some((g) => p.jobRoles.includes(g))) throw new DomainError('IDENTIFY_ROLE_REQUIRED');
    return task;
  }

  /** The latest identify completion recorded for the case (the intent outlives an engine that is down). */
  async function latestIntent(tenantId: string, caseId: string): Promise<TaskCompletion | null> {
    return latestCompletionOfCase(db, tenantId, caseId, IDENTIFY_TASK_KEY);
  }

  /** What a recorded confirmation answers, the first time and on every repeat. */
  async function confirmed(p: Principal, number: string, intent: TaskCompletion) {
    const vars = intent.variables as { customerId?: string; placeId?: string };
    const customer = vars.customerId ? await getCustomer(db, p.tenantId, vars.customerId) : null;
    const place = vars.placeId ? await getPlace(db, p.tenantId, vars.placeId) : null;
    return {
      number,
      customerId: customer?.id ?? vars.customerId ?? '',
      customerCode: customer?.customerCode ?? '',
      placeId: place?.id ?? null,
      placeCode: place?.placeCode ?? null,
      taskCompleted: true,
    };
  }

  /** A confirmation already recorded (double submit, retry after the engine failed): finish it once, answer the same. */
  async function resume(p: Principal, number: string, intent: TaskCompletion, input: Choice) {
    if (intent.actorId !== p.userId || !sameChoice(intent, input))
      throw new DomainError('IDENTIFY_TASK_NOT_OPEN');
    if (!intent.engineCompletedAt && intent.status !== 'applied') {
      if (!(await applyCompletion(db, engine, intent))) throw new DomainError('TASK_COMPLETION_DEFERRED');
    }
    return confirmed(p, number, intent);
  }

  /**
   * The officer's choice: the case gets the customer (and place), the candidate is marked confirmed, the case's
   * timeline and the audit log record it, and the identify task completes with the variables the process reads.
   * Atomic and idempotent like every task completion (server/tasks/task-completion.ts): the intent, the case
   * changes and the audit entry are written in one transaction, and the engine completes before it commits (a
   * refusal keeps nothing). When the engine cannot be reached the intent commits and the dispatcher applies it
   * once (503 TASK_COMPLETION_DEFERRED); a double submit or a retry finds the intent and repeats nothing.
   */
  async function confirm(p: Principal, number: string, input: Choice) {
    const { case: c } = await caseOf(p, number);
    const pending = await latestIntent(p.tenantId, c.id);
    if (pending && pending.status !== 'applied') return resume(p, number, pending, input);
    const task = await taskToComplete(p, number);
    if (!task) {
      // The task is gone because this very confirmation completed it: answer as the first time.
      if (pending && pending.actorId === p.userId && sameChoice(pending, input))
        return confirmed(p, number, pending);
      throw new DomainError('IDENTIFY_TASK_NOT_OPEN');
    }
    if (task.assignee && task.assignee !== p.userId) throw new DomainError('TASK_ALREADY_CLAIMED');
    const customer = await getCustomer(db, p.tenantId, input.customerId);
    if (!customer) throw new DomainError('CUSTOMER_NOT_FOUND');
    const place = input.placeId ? await getPlace(db, p.tenantId, input.placeId) : null;
    if (input.placeId && !place) throw new DomainError('PLACE_NOT_FOUND');
    if (place && place.customerId !== customer.id) throw new DomainError('PLACE_NOT_OF_CUSTOMER');
    if (!task.assignee) {
      try {
        await engine.claim(task.id, p.userId);
      } catch (err) {
        // A double submit: the other request may have claimed and completed the task meanwhile.
        const intent = await getCompletion(db, p.tenantId, task.id);
        if (intent) return resume(p, number, intent, input);
        if (taskGone(err)) throw new DomainError('IDENTIFY_TASK_NOT_OPEN');
        if (err instanceof EngineError && /claimed/i.test(err.message))
          throw new DomainError('TASK_ALREADY_CLAIMED');
        throw err;
      }
      await noteTaskAssignee(db, p.tenantId, task.id, p.userId);
    }
    const variables = { customerKnown: true, customerId: customer.id, placeId: place?.id ?? '' };

    let unknown: unknown = null;
    try {
      await db.transaction(async (tx) => {
        // Held by this request; a dispatcher takes it over only if the request dies before the end.
        const intentId = await recordCompletionIntent(tx, {
          tenantId: p.tenantId,
          taskId: task.id,
          caseId: c.id,
          actorId: p.userId,
          processInstanceId: task.processInstanceId,
          taskDefinitionKey: task.taskDefinitionKey,
          variables,
          timerMoves: null,
        });
        if (intentId === null) throw new AlreadyRecorded();
        await setCaseConsumer(tx, p.tenantId, c.id, {
          customerId: customer.id,
          placeId: place?.id ?? null,
          // What the ANRE statistics count the case under (the triage officer may still correct it, IL-06).
          customerType: customerTypeOf(customer.customerType),
          ...(place ? { energy: energyOf(place.energy) } : {}),
          // The case is now found by the customer's name and codes too.
          searchWords: searchText(customer.name, customer.customerCode, place?.placeCode),
        });
        await confirmCandidates(tx, p.tenantId, c.id, customer.id, p.userId);
        await addCaseEvent(tx, {
          tenantId: p.tenantId,
          caseId: c.id,
          type: 'consumer_identified',
          visibility: 'internal',
          message: `Petentul a fost identificat de ofițer: ${customer.customerCode}${place ? `, loc de consum ${place.placeCode}` : ''}.`,
          actorId: p.userId,
        });
        await appendAudit(tx, {
          tenantId: p.tenantId,
          actorId: p.userId,
          actorKind: 'user',
          action: 'case.consumer_identified',
          entityType: 'case',
          entityId: c.id,
          details: { customerId: customer.id, placeId: place?.id ?? null, taskId: task.id },
        });
        // The engine last, still inside the transaction: a refusal rolls back everything above.
        try {
          await engine.complete(task.id, variables);
          await markEngineCompleted(tx, intentId);
        } catch (err) {
          if (!outcomeUnknown(err)) throw err;
          unknown = err; // commit the intent: the dispatcher finds out and applies it once, soon
          await completionOutcomeUnknown(tx, intentId, err);
        }
      });
    } catch (err) {
      if (err instanceof AlreadyRecorded) {
        const intent = await getCompletion(db, p.tenantId, task.id);
        if (intent) return resume(p, number, intent, input);
      }
      if (taskGone(err)) throw new DomainError('IDENTIFY_TASK_NOT_OPEN');
      if (err instanceof EngineError) throw new DomainError('TASK_ENGINE_REFUSED', { taskId: task.id });
      throw err;
    }
    const intent = await getCompletion(db, p.tenantId, task.id);
    if (unknown || !intent) throw new DomainError('TASK_COMPLETION_DEFERRED');
    // The engine has it; the inbox row follows (or the dispatcher finishes it).
    await applyCompletion(db, engine, intent);
    return {
      number: c.number,
      customerId: customer.id,
      customerCode: customer.customerCode,
      placeId: place?.id ?? null,
      placeCode: place?.placeCode ?? null,
      taskCompleted: true,
    };
  }

  return { candidates, confirm };
}

export type IdentificationService = ReturnType<typeof createIdentificationService>;
