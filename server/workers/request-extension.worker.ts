import { MESSAGES, TOPICS } from '../../processes/topics.ts';
import { businessClock, nonWorkingDaysOf } from '../deadlines/index.ts';
import { waitAgainUntil } from './extend-deadline.worker.ts';
import { loadCaseContext, recordWorkerStep } from '../cases/index.ts';
import { OPERATOR_ANSWER_WORKING_DAYS } from './send-operator-request.worker.ts';
import { defineWorker, requireString } from './worker.ts';

/**
 * The operator did not answer in time and the officer proposes to extend the deadline (IL-32): the proposal goes to
 * the case's process (message `deadline-extension-requested`), where SEF decides and the extension is applied or
 * refused, on the case's one clock. This path waits for the operator again meanwhile.
 */
export const requestExtensionWorker = defineWorker({
  topic: TOPICS.requestExtension,
  variables: ['caseId', 'extensionReason', 'extensionDays'],
  lockDurationMs: 60_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    if (!deps.engine) throw new Error('the engine is needed to request an extension');
    const reason = requireString(task, 'extensionReason');
    const days = task.variable('extensionDays');
    const delivered = await deps.engine.correlateMessage({
      messageName: MESSAGES.extensionRequested,
      tenantId: task.tenantId,
      businessKey: ctx.c.number,
      variables: { extensionReason: reason, extensionDays: typeof days === 'string' ? days : null },
      all: true,
    });
    await deps.db.transaction((tx) =>
      recordWorkerStep(
        tx,
        ctx,
        {
          action: 'case.extension_requested',
          eventType: 'extension_requested',
          message: `Prelungire a termenului propusă, în așteptarea aprobării șefului de serviciu: ${reason}`,
          visibility: 'internal',
        },
        {},
        { reason, delivered },
      ),
    );
    const extra = await nonWorkingDaysOf(deps.db, task.tenantId);
    return {
      kind: 'complete',
      variables: {
        operatorWaitUntil: waitAgainUntil(
          businessClock(new Date()).date,
          ctx.c.dueDate,
          OPERATOR_ANSWER_WORKING_DAYS,
          extra,
        ),
      },
    };
  },
});
