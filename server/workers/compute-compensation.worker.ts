import { TOPICS } from '../../processes/topics.ts';
import { letterPostedAt } from '../documents/index.ts';
import { businessClock, compensationLei, delayDays, nonWorkingDaysOf } from '../deadlines/index.ts';
import { loadCaseContext, recordWorkerStep } from '../cases/index.ts';
import { defineWorker, requireString } from './worker.ts';

/** Filings that owe nothing: not a complaint (not counted), or nobody to pay (anonymous). */
const NO_COMPENSATION = new Set(['not_a_complaint', 'anonymous']);

/**
 * Once the answer (or the filing notice) is communicated: its communication date (SMTP accepted, or the letter's
 * dispatch recorded in the postal register; a letter posted without a recorded date counts from now, the later
 * and so safer moment for the consumer), the days of delay in the rule's unit and the compensation owed (the
 * tenant's rule). Finance then grants it (IL-29).
 */
export const computeCompensationWorker = defineWorker({
  topic: TOPICS.computeCompensation,
  variables: ['caseId', 'answeredBy'],
  lockDurationMs: 30_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    let communicatedAt = ctx.c.answerCommunicatedAt;
    let communicatedBy = ctx.c.answerCommunicatedBy;
    if (!communicatedAt) {
      const posted = await letterPostedAt(
        deps.db,
        ctx.c.id,
        ctx.c.status === 'filed' ? 'filing_letter' : 'answer_letter',
      );
      communicatedAt = posted ?? new Date();
      communicatedBy = 'post';
    }
    const extra = await nonWorkingDaysOf(deps.db, task.tenantId);
    const communicatedOn = businessClock(communicatedAt).date;
    const owesNothing = ctx.c.kind === 'not_a_complaint' || NO_COMPENSATION.has(ctx.c.filedReason ?? '');
    const days = owesNothing
      ? 0
      : delayDays(ctx.c.dueDate, communicatedOn, ctx.c.deadlineRule.unit, { extraNonWorkingDays: extra });
    const lei = compensationLei(days, {
      baseLei: ctx.tenant.compensationBaseLei,
      perDayLei: ctx.tenant.compensationPerDayLei,
    });
    const unit = ctx.c.deadlineRule.unit === 'working' ? 'zile lucrătoare' : 'zile';
    if (!ctx.c.answerCommunicatedAt || ctx.c.delayDays !== days || ctx.c.compensationLei !== lei) {
      await deps.db.transaction((tx) =>
        recordWorkerStep(
          tx,
          ctx,
          {
            action: 'case.compensation_computed',
            eventType: lei > 0 ? 'compensation_owed' : 'answered_in_time',
            message:
              lei > 0
                ? `Răspuns comunicat cu ${days} ${unit} de întârziere: compensație datorată ${lei} lei (${ctx.tenant.compensationLegalBasis}).`
                : 'Răspuns comunicat în termen.',
            visibility: lei > 0 ? 'public' : 'internal',
          },
          {
            answerCommunicatedAt: communicatedAt,
            answerCommunicatedBy: communicatedBy,
            delayDays: days,
            compensationLei: lei,
          },
          {
            delayDays: days,
            unit: ctx.c.deadlineRule.unit,
            compensationLei: lei,
            communicatedOn,
            communicatedBy,
          },
        ),
      );
    }
    return {
      kind: 'complete',
      variables: { compensationOwed: lei > 0, compensationLei: lei, answerCommunicated: true },
    };
  },
});
