import { TOPICS } from '../../processes/topics.ts';
import { recordCaseVersions, loadCaseContext, recordWorkerStep } from '../cases/index.ts';
import { defineWorker, requireString } from './worker.ts';

/**
 * Closes the case record once the answer went out and records the versions it ran under. Idempotent: a closed case
 * stays as it is. Says whether the satisfaction survey (IL-40) follows: a tenant setting.
 */
export const closeCaseWorker = defineWorker({
  topic: TOPICS.closeCase,
  variables: ['caseId'],
  lockDurationMs: 30_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    // A filed case stays filed (its filing notice was its answer); a closed one stays as it is.
    if (ctx.c.status !== 'closed' && ctx.c.status !== 'filed') {
      await deps.db.transaction((tx) =>
        recordWorkerStep(
          tx,
          ctx,
          {
            action: 'case.closed',
            eventType: 'closed',
            message: 'Reclamația a fost soluționată, dosarul s-a închis.',
            visibility: 'public',
          },
          { status: 'closed', closedAt: new Date() },
        ),
      );
    }
    // Every sub-process the case called is known now: record their content hashes and the instructions'.
    if (deps.engine) await recordCaseVersions(deps.db, deps.engine, task.tenantId, ctx.c.id, ctx.c.number);
    // IL-40: the satisfaction survey, when the tenant runs one, for cases answered on the merits we can reach.
    const survey =
      ctx.tenant.satisfactionSurvey &&
      ctx.c.status !== 'filed' &&
      ctx.c.kind === 'complaint' &&
      !!(ctx.c.contactEmail || ctx.c.contactPhone);
    return { kind: 'complete', variables: { satisfactionSurvey: survey } };
  },
});
