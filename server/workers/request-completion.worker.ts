import { TOPICS } from '../../processes/topics.ts';
import { businessClock, dueDate, endOfBusinessDay, nonWorkingDaysOf } from '../deadlines/index.ts';
import { completionRequestLetter } from '../mail/templates/case-letters.ts';
import { MISSING_INFORMATION_EVENT } from '../tasks/index.ts';
import { latestCaseEventMessage, loadCaseContext, sendCaseLetter } from '../cases/index.ts';
import { defineWorker, requireString } from './worker.ts';

const GENERIC_MISSING =
  'Vă rugăm să precizați locul de consum (codul POD/CLC sau adresa), documentul contestat (de exemplu numărul și data facturii) și ce anume solicitați.';

/**
 * An incomplete complaint (IL-08): a written request to complete it, by e-mail or, without an e-mail address, by
 * letter (postal register); a consumer we can only phone is called (IL-02). The wait has its own timer: the
 * tenant's completion term in working days. What is missing is what the triage officer wrote for the consumer
 * (`missingInformation`), never their internal comment.
 */
export const requestCompletionWorker = defineWorker({
  topic: TOPICS.requestCompletion,
  variables: ['caseId'],
  lockDurationMs: 60_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const extra = await nonWorkingDaysOf(deps.db, task.tenantId);
    const today = businessClock(new Date()).date;
    const answerBy = dueDate(
      today,
      { days: ctx.tenant.completionWaitWorkingDays, unit: 'working' },
      {
        extraNonWorkingDays: extra,
      },
    );
    // What the triage officer wrote for the consumer (never the internal comment); the latest, should triage have
    // found the complaint incomplete twice.
    const asked = await latestCaseEventMessage(deps.db, ctx.c.id, MISSING_INFORMATION_EVENT);
    const missing = asked?.trim() || GENERIC_MISSING;
    const letter = completionRequestLetter(ctx.c, {
      missing,
      answerBy,
      pausesDeadline: ctx.tenant.completionPausesDeadline,
      statusUrl: ctx.statusUrl,
    });
    // One request per execution of this step (a retry of the same task sends nothing twice).
    const by = await sendCaseLetter(
      deps,
      ctx,
      `completion_request.${task.id}`,
      'completion_request_letter',
      letter,
      {
        action: 'case.completion_requested',
        eventType: 'completion_requested',
        message: `Am cerut completarea reclamației până la ${answerBy.split('-').reverse().join('.')}.`,
        visibility: 'public',
      },
      { completionRequestedAt: new Date(), completionReceivedAt: null },
      { answerBy, missing },
    );
    return {
      kind: 'complete',
      variables: {
        completionBy: by === 'none' ? 'phone' : by,
        completionWaitUntil: endOfBusinessDay(answerBy),
      },
    };
  },
});
