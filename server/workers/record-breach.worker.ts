import { TOPICS } from '../../processes/topics.ts';
import {
  businessClock,
  endOfBusinessDay,
  clockPaused,
  nextCheckWhilePaused,
  compensationLei,
  nonWorkingDaysOf,
} from '../deadlines/index.ts';
import { roDate } from '../mail/templates/render.ts';
import { loadCaseContext, recordWorkerStep } from '../cases/index.ts';
import { defineWorker, requireString } from './worker.ts';

/**
 * At the end of the due day, without a communicated answer: records the breach and the compensation owed so far
 * (the first day of delay; the final amount is computed when the answer is communicated). Part of the one clock
 * of the case: it reads the case's current due date, so when the deadline moved (an extension, a pause for the
 * consumer's completion) it answers with the new moment to check again (`breachCheckAt`). A request that is not
 * a complaint is not counted and owes nothing.
 */
export const recordBreachWorker = defineWorker({
  topic: TOPICS.recordBreach,
  variables: ['caseId'],
  lockDurationMs: 30_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const done = { kind: 'complete' as const, variables: { breached: false, breachCheckAt: null } };
    if (ctx.c.answerCommunicatedAt || ctx.c.kind === 'not_a_complaint' || ctx.c.status === 'annulled')
      return done;
    if (clockPaused(ctx.c, ctx.tenant)) {
      const extra = await nonWorkingDaysOf(deps.db, task.tenantId);
      return {
        kind: 'complete',
        variables: {
          breached: false,
          breachCheckAt: nextCheckWhilePaused(businessClock(new Date()).date, { extraNonWorkingDays: extra }),
        },
      };
    }
    const dueEnd = endOfBusinessDay(ctx.c.dueDate);
    if (new Date(dueEnd).getTime() > Date.now())
      return { kind: 'complete', variables: { breached: false, breachCheckAt: dueEnd } };
    if (!ctx.c.breachedAt) {
      const owed = compensationLei(1, {
        baseLei: ctx.tenant.compensationBaseLei,
        perDayLei: ctx.tenant.compensationPerDayLei,
      });
      await deps.db.transaction((tx) =>
        recordWorkerStep(
          tx,
          ctx,
          {
            action: 'case.deadline_breached',
            eventType: 'deadline_breached',
            message: `Termenul de răspuns (${roDate(ctx.c.dueDate)}) a fost depășit fără un răspuns comunicat; se datorează compensație (cel puțin ${owed} lei, ${ctx.tenant.compensationLegalBasis}).`,
            visibility: 'internal',
          },
          {
            breachedAt: new Date(),
            ...(ctx.c.compensationLei === null ? { compensationLei: owed, delayDays: 1 } : {}),
          },
          { dueDate: ctx.c.dueDate, compensationLei: owed },
        ),
      );
    }
    return { kind: 'complete', variables: { breached: true, breachCheckAt: null } };
  },
});
