/**
 * The officer's task actions (createTasksService below): the inbox list, a task's view, claim, release, delegate,
 * instruction steps, comments, and the completion with its intent and engine call. One file although past 300 lines: the actions share
 * one access check and one case lookup inside one closure over the engine, the catalog and the database.
 */
import type { Db } from '../db/client.ts';
import type { TaskCompletion } from '../db/schema/index.ts';
import { EngineError, type EngineClient, type EngineTask } from '../engine/client.ts';
import { refreshTasksOfCase, noteTaskAssignee } from '../task-read-model/index.ts';
import { canSeeAll, createInboxService, type InboxQuery } from './inbox.service.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/index.ts';
import { endOfBusinessDay } from '../deadlines/index.ts';
import { type Principal } from '../auth/index.ts';
import {
  addCaseEvent,
  getCaseById,
  getCasesByNumbers,
  getCasesByProcessInstance,
  reclassification,
  recordReclassification,
  updateCaseFromTask,
} from '../cases/index.ts';
import { createOperatorRequest } from '../operator-requests/index.ts';
import { type Instruction } from '../instructions/index.ts';
import type { ProcessCatalog } from './process-catalog.ts';
import { MISSING_INFORMATION_EVENT, validateSubmission, type TaskSubmission } from './task-forms.ts';
import {
  applyCompletion,
  completionOutcomeUnknown,
  getCompletion,
  markEngineCompleted,
  outcomeUnknown,
  recordCompletionIntent,
  taskGone,
} from './task-completion.ts';
import { doneSteps, upsertStepTick } from './step-ticks.repo.ts';
import { gdprRequestOfInstance, gdprRequestsByNumbers } from '../privacy/index.ts';
import { getReadModelTask } from './inbox.repo.ts';

/** The task's completion was recorded by a concurrent request (a double submit) while this one validated. */
class AlreadyRecorded extends Error {}

export interface TasksDeps {
  db: Db;
  engine: EngineClient;
  catalog: ProcessCatalog;
  instructions: Map<string, Instruction>;
}

/**
 * The officer's inbox and task actions. Tenant and candidate groups come from the session; the engine is asked
 * only for this tenant's tasks, and every action re-checks that the task is the caller's to act on.
 */
export function createTasksService(deps: TasksDeps) {
  const { db, engine, catalog, instructions } = deps;

  /** Tasks of called sub-processes belong to the case of their business key (the case number). */
  async function casesForInstances(tenantId: string, instanceIds: string[]) {
    const direct = await getCasesByProcessInstance(db, tenantId, instanceIds);
    const byInstance = new Map(direct.map((c) => [c.processInstanceId ?? '', c]));
    const missing = instanceIds.filter((id) => !byInstance.has(id));
    if (missing.length) {
      const instances = await engine.processInstancesByIds(tenantId, missing);
      const keys = [...new Set(instances.map((i) => i.businessKey).filter((k): k is string => !!k))];
      const byNumber = new Map((await getCasesByNumbers(db, tenantId, keys)).map((c) => [c.number, c]));
      for (const i of instances) {
        const c = i.businessKey ? byNumber.get(i.businessKey) : undefined;
        if (c) byInstance.set(i.id, c);
      }
    }
    return byInstance;
  }

  const inbox = createInboxService({ db, engine });

  /** Loads a task the caller may act on, or throws TASK_NOT_FOUND (never reveals another tenant's task). */
  async function accessibleTask(
    p: Principal,
    taskId: string,
  ): Promise<{ task: EngineTask; groups: string[] }> {
    if (!/^[\w-]{1,64}$/.test(taskId)) throw new DomainError('TASK_NOT_FOUND');
    const task = await engine.getTask(taskId);
    if (!task || task.tenantId !== p.tenantId) throw new DomainError('TASK_NOT_FOUND');
    const groups = await engine.getCandidateGroups(taskId);
    const allowed = task.assignee === p.userId || groups.some((g) => p.jobRoles.includes(g)) || canSeeAll(p);
    if (!allowed) throw new DomainError('TASK_NOT_FOUND');
    return { task, groups };
  }

  async function caseOf(p: Principal, task: EngineTask) {
    return (
      (await casesForInstances(p.tenantId, [task.processInstanceId])).get(task.processInstanceId) ?? null
    );
  }

  /**
   * The GDPR request behind a task that has no case (process verify-gdpr, the DPO's): by its process instance, or
   * by the business key the read model holds (the instance id is written just after the process starts).
   */
  async function gdprRequestOf(p: Principal, task: EngineTask) {
    const byInstance = await gdprRequestOfInstance(db, p.tenantId, task.processInstanceId);
    if (byInstance) return byInstance;
    const row = await getReadModelTask(db, p.tenantId, task.id);
    if (!row?.caseNumber) return null;
    return (await gdprRequestsByNumbers(db, p.tenantId, [row.caseNumber])).get(row.caseNumber) ?? null;
  }

  async function get(p: Principal, taskId: string) {
    const { task, groups } = await accessibleTask(p, taskId);
    const meta = await catalog.userTask(task.processDefinitionId, task.taskDefinitionKey);
    const c = await caseOf(p, task);
    const full = c ? await getCaseById(db, p.tenantId, c.id) : null;
    const gdprRequest = c ? null : await gdprRequestOf(p, task);
    const instruction = meta?.instructionId ? (instructions.get(meta.instructionId) ?? null) : null;
    const ticks = await doneSteps(db, taskId);
    return {
      id: task.id,
      name: task.name,
      assignee: task.assignee,
      assignedToMe: task.assignee === p.userId,
      created: task.created,
      // A case's task is due when the case is: the engine's task due date is fixed at creation and does not
      // follow an extension or a reclassification (see task-read-model CASE_DUE_AT).
      due: full ? endOfBusinessDay(full.dueDate) : task.due,
      taskDefinitionKey: task.taskDefinitionKey,
      candidateGroups: groups,
      form: meta?.form ?? null,
      branches: (meta?.properties.branches ?? '')
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
      caseNumber: c?.number ?? null,
      /** Set for a GDPR request's task: it is extended or answered on the DPO's page, not through `form`. */
      gdprRequest,
      stepsDone: ticks.sort((a, b) => a - b),
      draft: full ? { findings: full.findings, answerText: full.answerText } : null,
      instruction: instruction
        ? {
            id: instruction.id,
            title: instruction.title,
            role: instruction.role,
            steps: instruction.steps,
            documents: instruction.documents,
            legalBasis: instruction.legalBasis,
            html: instruction.html,
          }
        : null,
    };
  }

  async function claim(p: Principal, taskId: string) {
    const { task } = await accessibleTask(p, taskId);
    if (task.assignee && task.assignee !== p.userId) throw new DomainError('TASK_ALREADY_CLAIMED');
    if (!task.assignee) {
      try {
        await engine.claim(taskId, p.userId);
      } catch (err) {
        // Two officers claiming at once: the engine refuses the second.
        if (
          err instanceof EngineError &&
          err.status >= 400 &&
          err.status < 600 &&
          /claimed/i.test(err.message)
        )
          throw new DomainError('TASK_ALREADY_CLAIMED');
        throw err;
      }
      await noteTaskAssignee(db, p.tenantId, taskId, p.userId);
    }
    const c = await caseOf(p, task);
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'task.claimed',
      entityType: 'case',
      entityId: c?.id ?? task.processInstanceId,
      details: { taskId, task: task.taskDefinitionKey },
    });
    return { id: taskId, assignee: p.userId };
  }

  async function unclaim(p: Principal, taskId: string) {
    const { task } = await accessibleTask(p, taskId);
    if (task.assignee !== p.userId && !canSeeAll(p)) throw new DomainError('TASK_NOT_ASSIGNED_TO_YOU');
    await engine.unclaim(taskId);
    await noteTaskAssignee(db, p.tenantId, taskId, null);
    const c = await caseOf(p, task);
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'task.unclaimed',
      entityType: 'case',
      entityId: c?.id ?? task.processInstanceId,
      details: { taskId, task: task.taskDefinitionKey },
    });
    return { id: taskId, assignee: null };
  }

  /** A completion already recorded for this task: finish applying it (once) and answer as the first time. */
  async function resumeCompletion(p: Principal, intent: TaskCompletion) {
    if (intent.actorId !== p.userId) throw new DomainError('TASK_NOT_FOUND');
    // Once the engine has the completion, what is left (timers, inbox row) is the first request's or the
    // dispatcher's to finish; otherwise this request tries the engine again (the dispatcher would, too).
    if (intent.engineCompletedAt || intent.status === 'applied')
      return { id: intent.taskId, completed: true };
    if (!(await applyCompletion(db, engine, intent))) throw new DomainError('TASK_COMPLETION_DEFERRED');
    return { id: intent.taskId, completed: true };
  }

  /**
   * Completes a task atomically and idempotently. Our changes (case, timeline, audit, operator request) and the
   * completion intent are written in one transaction, and the engine completes the task before it commits: when
   * the engine refuses, nothing is kept. When the engine cannot be reached (or its answer is lost) the intent
   * commits and the dispatcher applies it once; a double submit or a retry finds the intent and repeats nothing.
   */
  async function complete(p: Principal, taskId: string, submission: TaskSubmission) {
    const recorded = await getCompletion(db, p.tenantId, taskId);
    if (recorded) return resumeCompletion(p, recorded);
    const { task } = await accessibleTask(p, taskId);
    if (task.assignee !== p.userId) throw new DomainError('TASK_NOT_ASSIGNED_TO_YOU');
    const meta = await catalog.userTask(task.processDefinitionId, task.taskDefinitionKey);
    const validated = validateSubmission(meta?.form ?? null, submission, meta?.properties);
    const { caseUpdate, comment, note, operatorQuestions, missingInformation } = validated;
    const c = await caseOf(p, task);
    if (!c && (await gdprRequestOf(p, task))) throw new DomainError('GDPR_TASK_ON_PRIVACY_PAGE');
    if (!c) throw new DomainError('CASE_NOT_FOUND');
    const full = await getCaseById(db, p.tenantId, c.id);
    if (!full) throw new DomainError('CASE_NOT_FOUND');
    const change = validated.classification
      ? await reclassification(db, p.tenantId, full, validated.classification, comment ?? '')
      : null;
    const variables: Record<string, boolean | string> = {
      ...validated.variables,
      ...(change?.variables ?? {}),
    };

    let unknown: unknown = null;
    try {
      await db.transaction(async (tx) => {
        // Held by this request; a dispatcher takes it over only if the request dies before the end.
        const intentId = await recordCompletionIntent(tx, {
          tenantId: p.tenantId,
          taskId,
          caseId: c.id,
          actorId: p.userId,
          processInstanceId: task.processInstanceId,
          taskDefinitionKey: task.taskDefinitionKey,
          variables,
          timerMoves: change?.timerMoves ?? null,
        });
        if (intentId === null) throw new AlreadyRecorded();
        // Work on a case moves it from registered to in progress (never back: cases.repo.updateCaseFromTask).
        await updateCaseFromTask(tx, p.tenantId, c.id, { ...caseUpdate, ...(change?.caseSet ?? {}) });
        if (change) await recordReclassification(tx, p, c.id, task.name, change);
        if (change?.caseSet.dueDate || change?.caseSet.category)
          await refreshTasksOfCase(tx, p.tenantId, c.id);
        if (meta?.form === 'findings') {
          await addCaseEvent(tx, {
            tenantId: p.tenantId,
            caseId: c.id,
            type: 'analysis',
            visibility: 'public',
            message: 'Reclamația a fost analizată; se redactează răspunsul.',
            actorId: p.userId,
          });
        }
        if (note) {
          await addCaseEvent(tx, {
            tenantId: p.tenantId,
            caseId: c.id,
            type: `task_note`,
            visibility: 'internal',
            message: `${task.name}: ${note}`,
            actorId: p.userId,
          });
        }
        if (missingInformation) {
          // The request-completion worker sends this text to the consumer (the latest such event of the case).
          await addCaseEvent(tx, {
            tenantId: p.tenantId,
            caseId: c.id,
            type: MISSING_INFORMATION_EVENT,
            visibility: 'internal',
            message: missingInformation,
            actorId: p.userId,
          });
        }
        if (operatorQuestions) {
          // One request per waiting sub-process instance; the worker sends it and the answer comes back by reference.
          await createOperatorRequest(tx, {
            tenantId: p.tenantId,
            caseId: c.id,
            caseNumber: c.number,
            questions: operatorQuestions,
            processInstanceId: task.processInstanceId,
          });
        }
        if (meta?.form === 'approval') {
          await addCaseEvent(tx, {
            tenantId: p.tenantId,
            caseId: c.id,
            type: variables.approved ? 'answer_approved' : 'answer_rejected',
            visibility: 'internal',
            message: variables.approved
              ? 'Răspuns aprobat.'
              : variables.returnTo === 'verification'
                ? `Răspuns respins, dosarul se întoarce la verificare: ${comment ?? ''}`
                : `Răspuns respins pentru revizuire: ${comment ?? ''}`,
            actorId: p.userId,
          });
        }
        await appendAudit(tx, {
          tenantId: p.tenantId,
          actorId: p.userId,
          actorKind: 'user',
          action: 'task.completed',
          entityType: 'case',
          entityId: c.id,
          details: { taskId, task: task.taskDefinitionKey, ...variables },
        });
        // The engine last, still inside the transaction: a refusal rolls back everything above.
        try {
          await engine.complete(taskId, variables);
          await markEngineCompleted(tx, intentId);
        } catch (err) {
          if (!outcomeUnknown(err)) throw err;
          unknown = err; // commit the intent: the dispatcher finds out and applies it once, soon
          await completionOutcomeUnknown(tx, intentId, err);
        }
      });
    } catch (err) {
      if (err instanceof AlreadyRecorded) {
        const intent = await getCompletion(db, p.tenantId, taskId);
        if (intent) return resumeCompletion(p, intent);
      }
      if (taskGone(err)) throw new DomainError('TASK_NOT_FOUND');
      if (err instanceof EngineError) throw new DomainError('TASK_ENGINE_REFUSED', { taskId });
      throw err;
    }
    const intent = await getCompletion(db, p.tenantId, taskId);
    if (unknown || !intent) throw new DomainError('TASK_COMPLETION_DEFERRED');
    // The engine has it; the timers and the inbox row follow (or the dispatcher finishes them).
    await applyCompletion(db, engine, intent);
    return { id: taskId, completed: true };
  }

  /** The officer ticks (or unticks) a step of the task's work instruction; every tick is audited. */
  async function tickStep(p: Principal, taskId: string, stepIndex: number, done: boolean) {
    const { task } = await accessibleTask(p, taskId);
    if (task.assignee !== p.userId) throw new DomainError('TASK_NOT_ASSIGNED_TO_YOU');
    const meta = await catalog.userTask(task.processDefinitionId, task.taskDefinitionKey);
    const instruction = meta?.instructionId ? instructions.get(meta.instructionId) : undefined;
    if (!instruction || stepIndex >= instruction.steps.length) throw new DomainError('STEP_NOT_FOUND');
    const c = await caseOf(p, task);
    if (!c) throw new DomainError('CASE_NOT_FOUND');
    await db.transaction(async (tx) => {
      await upsertStepTick(tx, {
        tenantId: p.tenantId,
        caseId: c.id,
        taskId,
        taskDefinitionKey: task.taskDefinitionKey,
        instructionId: instruction.id,
        stepIndex,
        done,
        actorId: p.userId,
      });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: done ? 'task.step_done' : 'task.step_undone',
        entityType: 'case',
        entityId: c.id,
        details: { taskId, instructionId: instruction.id, stepIndex },
      });
    });
    const ticks = await doneSteps(db, taskId);
    return {
      id: taskId,
      instructionId: instruction.id,
      steps: instruction.steps.length,
      stepsDone: ticks.sort((a, b) => a - b),
    };
  }

  async function list(p: Principal, q: InboxQuery) {
    return inbox.list(p, q);
  }

  async function delegates(p: Principal, taskId: string) {
    const { groups } = await accessibleTask(p, taskId);
    return inbox.delegates(p, groups);
  }

  async function delegate(p: Principal, taskId: string, toUserId: string) {
    const { task, groups } = await accessibleTask(p, taskId);
    const c = await caseOf(p, task);
    return inbox.delegate(p, task, groups, c?.id ?? null, toUserId);
  }

  async function caseOfTask(p: Principal, taskId: string) {
    const { task } = await accessibleTask(p, taskId);
    const c = await caseOf(p, task);
    if (!c) throw new DomainError('CASE_NOT_FOUND');
    return c;
  }

  async function comments(p: Principal, taskId: string) {
    return inbox.comments(p, (await caseOfTask(p, taskId)).id);
  }

  async function addComment(p: Principal, taskId: string, body: string) {
    return inbox.comment(p, (await caseOfTask(p, taskId)).id, taskId, body);
  }

  async function received(p: Principal, taskId: string) {
    return inbox.received(p, (await caseOfTask(p, taskId)).id, taskId);
  }

  async function attachment(p: Principal, taskId: string, attachmentId: number) {
    return inbox.attachment(p, (await caseOfTask(p, taskId)).id, taskId, attachmentId);
  }

  async function timeline(p: Principal, taskId: string) {
    const c = await caseOfTask(p, taskId);
    const entries = await inbox.timeline(p, { id: c.id, processInstanceId: c.processInstanceId });
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'case.timeline_viewed',
      entityType: 'case',
      entityId: c.id,
      details: { taskId },
    });
    return entries;
  }

  return {
    list,
    get,
    claim,
    unclaim,
    complete,
    tickStep,
    delegates,
    delegate,
    comments,
    addComment,
    timeline,
    received,
    attachment,
    savedFilters: inbox.savedFilters,
    saveSavedFilter: inbox.saveSavedFilter,
    removeSavedFilter: inbox.removeSavedFilter,
  };
}

export type TasksService = ReturnType<typeof createTasksService>;
