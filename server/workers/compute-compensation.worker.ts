import { TOPICS } from '../../processes/topics.ts';
import { businessClock } from '../deadlines/calendar.ts';
import { compensationLei, delayDays } from '../deadlines/compensation.ts';
import { loadCaseContext, recordWorkerStep } from './send-case-mail.ts';
import { defineWorker, requireString } from './worker.ts';

/** After the answer went out: the days of delay against the due date and the compensation owed (tenant rule). */
export const computeCompensationWorker = defineWorker({
  topic: TOPICS.computeCompensation,
  variables: ['caseId'],
  lockDurationMs: 30_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const answeredOn = businessClock(ctx.c.answerSentAt ?? new Date()).date;
    const days = delayDays(ctx.c.dueDate, answeredOn);
    const lei = compensationLei(days, {
      baseLei: ctx.tenant.compensationBaseLei,
      perDayLei: ctx.tenant.compensationPerDayLei,
    });
    if (ctx.c.delayDays === null) {
      await deps.db.transaction((tx) =>
        recordWorkerStep(
          tx,
          ctx,
          {
            action: 'case.compensation_computed',
            eventType: lei > 0 ? 'compensation_owed' : 'answered_in_time',
            message:
              lei > 0
                ? `Răspuns transmis cu ${days} zile de întârziere: compensație datorată ${lei} lei.`
                : 'Răspuns transmis în termen.',
            visibility: lei > 0 ? 'public' : 'internal',
          },
          { delayDays: days, compensationLei: lei },
          { delayDays: days, compensationLei: lei },
        ),
      );
    }
    return { kind: 'complete', variables: { compensationOwed: lei > 0, compensationLei: lei } };
  },
});
