import { TOPICS } from '../../processes/topics.ts';
import { roDate } from '../mail/templates/render.ts';
import { loadCaseContext, recordWorkerStep } from './send-case-mail.ts';
import { defineWorker, requireString } from './worker.ts';

/** Warns the holders before the due date: an internal timeline entry the inbox and supervisor views show. */
export const deadlineWarningWorker = defineWorker({
  topic: TOPICS.deadlineWarning,
  variables: ['caseId', 'verificationRole'],
  lockDurationMs: 30_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const role = task.variable('verificationRole');
    await deps.db.transaction((tx) =>
      recordWorkerStep(
        tx,
        ctx,
        {
          action: 'case.deadline_warning',
          eventType: 'deadline_warning',
          message: `Termenul de răspuns expiră pe ${roDate(ctx.c.dueDate)}.`,
          visibility: 'internal',
        },
        {},
        { dueDate: ctx.c.dueDate, role: typeof role === 'string' ? role : null },
      ),
    );
    return { kind: 'complete' };
  },
});
