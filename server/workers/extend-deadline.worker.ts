import { TOPICS } from '../../processes/topics.ts';
import {
  businessClock,
  dueDate,
  endOfBusinessDay,
  clockMoments,
  clockTimerMoves,
  nonWorkingDaysOf,
} from '../deadlines/index.ts';
import { extensionNoticeLetter } from '../mail/templates/case-letters.ts';
import { roDate } from '../mail/templates/render.ts';
import { approvedExtension, loadCaseContext, recordWorkerStep, sendCaseLetter } from '../cases/index.ts';
import { defineWorker, requireString, type Outcome } from './worker.ts';

/**
 * SEF approved an extension (IL-32): the deadline moves by the days asked (else the category rule's maximum), if
 * the cases module allows it (approvedExtension: once, at most the rule's extension, and only if the notice reaches
 * the consumer before the original due date). Otherwise it is refused and recorded. The notice names the reason,
 * the new date and the legal basis; the clock's timers move to the new due date.
 */
export const extendDeadlineWorker = defineWorker({
  topic: TOPICS.extendDeadline,
  variables: ['caseId', 'extensionReason', 'extensionDays'],
  lockDurationMs: 60_000,
  async handler(task, deps): Promise<Outcome> {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const reasonVar = task.variable('extensionReason');
    const reason =
      typeof reasonVar === 'string' && reasonVar.trim()
        ? reasonVar.trim()
        : 'Soluționarea necesită date suplimentare care nu au fost încă primite.';
    const extra = await nonWorkingDaysOf(deps.db, task.tenantId);
    const opts = { extraNonWorkingDays: extra };
    const now = new Date();
    const { rule, days, max, refusal } = await approvedExtension(deps.db, ctx.c, ctx.tenant, {
      askedDays: Number(task.variable('extensionDays')),
      today: businessClock(now).date,
      extraNonWorkingDays: extra,
    });
    if (refusal) {
      await deps.db.transaction((tx) =>
        recordWorkerStep(
          tx,
          ctx,
          {
            action: 'case.extension_refused',
            eventType: 'extension_refused',
            message: refusal,
            visibility: 'internal',
          },
          {},
          { reason, days, max },
        ),
      );
      return { kind: 'complete', variables: { extended: false } };
    }
    const newDue = dueDate(
      ctx.c.dueDate,
      { days, unit: rule!.unit },
      { ...opts, reading: ctx.tenant.countingReading },
    );
    // The clock first: once the case shows the new due date, its timers already follow it (a retry moves them again).
    const moments = clockMoments(newDue, ctx.tenant, opts);
    if (deps.engine) await deps.engine.moveTimers(task.processInstanceId, clockTimerMoves(moments));
    const letter = extensionNoticeLetter(ctx.c, {
      originalDueDate: ctx.c.dueDate,
      newDueDate: newDue,
      reason,
      legalBasis: `${rule!.legalBasis}; Legea nr. 31/2018 (prelungire cu înștiințarea prealabilă a petentului)`,
      statusUrl: ctx.statusUrl,
    });
    await sendCaseLetter(
      deps,
      ctx,
      'extension',
      'extension_letter',
      letter,
      {
        action: 'case.deadline_extended',
        eventType: 'deadline_extended',
        message: `Termenul de răspuns a fost prelungit până la ${roDate(newDue)}. Motiv: ${reason}`,
        visibility: 'public',
      },
      { dueDate: newDue, originalDueDate: ctx.c.dueDate, extendedAt: now, extensionReason: reason },
      { from: ctx.c.dueDate, to: newDue, days, unit: rule!.unit },
    );
    return { kind: 'complete', variables: { ...moments, dueDate: newDue, extended: true } };
  },
});

/** When the operator-request path waits again after an extension request: 5 working days, at most to the due date. */
export function waitAgainUntil(today: string, due: string, workingDays: number, extra: Set<string>): string {
  const w = dueDate(today, { days: workingDays, unit: 'working' }, { extraNonWorkingDays: extra });
  return endOfBusinessDay(w < due || due < today ? w : due);
}
