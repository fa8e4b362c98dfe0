import { TOPICS } from '../../processes/topics.ts';
import {
  businessClock,
  clockMoments,
  clockTimerMoves,
  dueAfterPause,
  nonWorkingDaysOf,
} from '../deadlines/index.ts';
import { roDate } from '../mail/templates/render.ts';
import { loadCaseContext, recordWorkerStep } from '../cases/index.ts';
import { defineWorker, requireString } from './worker.ts';

/**
 * The consumer completed the complaint (by reply, portal or phone): the wait ends and the case goes back to
 * triage. Where the tenant lets the completion pause the deadline, the due date moves by the days the clock stood
 * still (in the rule's unit) and the clock's timers move with it.
 */
export const resumeClockWorker = defineWorker({
  topic: TOPICS.resumeClock,
  variables: ['caseId', 'lastInformationAt'],
  lockDurationMs: 60_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const at = task.variable('lastInformationAt');
    const receivedAt = ctx.c.completionReceivedAt ?? (typeof at === 'string' ? new Date(at) : new Date());
    const pauses = ctx.tenant.completionPausesDeadline && ctx.c.completionRequestedAt !== null;
    const extra = await nonWorkingDaysOf(deps.db, task.tenantId);
    const opts = { extraNonWorkingDays: extra };
    let due = ctx.c.dueDate;
    if (!ctx.c.completionReceivedAt && pauses) {
      due = dueAfterPause(
        ctx.c.dueDate,
        businessClock(ctx.c.completionRequestedAt!).date,
        businessClock(receivedAt).date,
        ctx.c.deadlineRule.unit,
        opts,
      );
    }
    const moments = clockMoments(due, ctx.tenant, opts);
    if (due !== ctx.c.dueDate && deps.engine)
      await deps.engine.moveTimers(task.processInstanceId, clockTimerMoves(moments));
    if (!ctx.c.completionReceivedAt) {
      await deps.db.transaction((tx) =>
        recordWorkerStep(
          tx,
          ctx,
          {
            action: 'case.completion_received',
            eventType: 'completion_received',
            message:
              due !== ctx.c.dueDate
                ? `Reclamația a fost completată; termenul de răspuns se reia și devine ${roDate(due)}.`
                : 'Reclamația a fost completată; se reia analiza.',
            visibility: 'public',
          },
          { completionReceivedAt: receivedAt, ...(due !== ctx.c.dueDate ? { dueDate: due } : {}) },
          { from: ctx.c.dueDate, to: due },
        ),
      );
    }
    return { kind: 'complete', variables: { ...moments, dueDate: due } };
  },
});
