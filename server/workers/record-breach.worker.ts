import { TOPICS } from '../../processes/topics.ts';
import { endOfBusinessDay } from '../deadlines/calendar.ts';
import { roDate } from '../mail/templates/render.ts';
import { loadCaseContext, recordWorkerStep } from './send-case-mail.ts';
import { defineWorker, requireString } from './worker.ts';

/**
 * At the end of the due day, without an answer: records the breach. When the deadline was extended meanwhile
 * (the timer was set for the old date), it answers with the new moment to check again.
 */
export const recordBreachWorker = defineWorker({
  topic: TOPICS.recordBreach,
  variables: ['caseId'],
  lockDurationMs: 30_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const dueEnd = endOfBusinessDay(ctx.c.dueDate);
    if (ctx.c.answerSentAt) return { kind: 'complete', variables: { breached: false, breachCheckAt: null } };
    if (new Date(dueEnd).getTime() > Date.now())
      return { kind: 'complete', variables: { breached: false, breachCheckAt: dueEnd } };
    if (!ctx.c.breachedAt) {
      await deps.db.transaction((tx) =>
        recordWorkerStep(
          tx,
          ctx,
          {
            action: 'case.deadline_breached',
            eventType: 'deadline_breached',
            message: `Termenul de răspuns (${roDate(ctx.c.dueDate)}) a fost depășit; se datorează compensație.`,
            visibility: 'internal',
          },
          { breachedAt: new Date() },
          { dueDate: ctx.c.dueDate },
        ),
      );
    }
    return { kind: 'complete', variables: { breached: true, breachCheckAt: null } };
  },
});
