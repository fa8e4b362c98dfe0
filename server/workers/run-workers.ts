import type { EngineClient } from '../engine/client.ts';
import {
  startExternalTasks,
  type ExternalTask,
  type ExternalTaskOutcomes,
} from '../engine/external-tasks.ts';
import type { Outcome, Worker, WorkerDeps, WorkerTask } from './worker.ts';
import { acknowledgeWorker } from './acknowledge.worker.ts';
import { sendAnswerWorker } from './send-answer.worker.ts';
import { closeCaseWorker } from './close-case.worker.ts';
import { fileCaseWorker } from './file-case.worker.ts';
import { deadlineWarningWorker } from './deadline-warning.worker.ts';
import { recordBreachWorker } from './record-breach.worker.ts';
import { computeCompensationWorker } from './compute-compensation.worker.ts';
import { sendOperatorRequestWorker } from './send-operator-request.worker.ts';
import { extendDeadlineWorker } from './extend-deadline.worker.ts';
import { openReviewPeriodWorker } from './open-review-period.worker.ts';
import { requestCompletionWorker } from './request-completion.worker.ts';
import { resumeClockWorker } from './resume-clock.worker.ts';
import { notifyCompensationWorker } from './notify-compensation.worker.ts';
import { requestExtensionWorker } from './request-extension.worker.ts';
import { withTenant } from '../db/tenant-scope.ts';

export const WORKERS: Worker[] = [
  acknowledgeWorker,
  sendAnswerWorker,
  closeCaseWorker,
  fileCaseWorker,
  deadlineWarningWorker,
  recordBreachWorker,
  computeCompensationWorker,
  sendOperatorRequestWorker,
  extendDeadlineWorker,
  openReviewPeriodWorker,
  requestCompletionWorker,
  resumeClockWorker,
  notifyCompensationWorker,
  requestExtensionWorker,
];

const DEFAULT_RETRIES = 3;

function toWorkerTask(task: ExternalTask): WorkerTask {
  if (!task.tenantId) throw new Error(`external task ${task.id} has no tenant`);
  return {
    id: task.id,
    tenantId: task.tenantId,
    businessKey: task.businessKey,
    processInstanceId: task.processInstanceId,
    retries: task.retries,
    variable: (name) => task.variable(name),
  };
}

/**
 * Runs a handler and always reports exactly one outcome to the engine (the client library alone would swallow a
 * thrown error and let the lock expire forever). Failures count retries down to an incident, with backoff.
 */
export async function runHandler(
  worker: Worker,
  task: ExternalTask,
  outcomes: ExternalTaskOutcomes,
  deps: WorkerDeps,
) {
  let outcome: Outcome;
  try {
    const t = toWorkerTask(task);
    // A task works for its process's tenant and sees only that tenant's rows (server/db/tenant-scope.ts).
    outcome = await withTenant(t.tenantId, () => worker.handler(t, deps));
  } catch (err) {
    const retries = (task.retries ?? DEFAULT_RETRIES) - 1;
    const attempt = DEFAULT_RETRIES - retries;
    deps.log.warn(
      { topic: worker.topic, taskId: task.id, retries, err: (err as Error).message },
      'worker failed',
    );
    await outcomes.handleFailure({
      errorMessage: (err as Error).message.slice(0, 250),
      errorDetails: (err as Error).stack ?? String(err),
      retries: Math.max(retries, 0),
      retryTimeout: Math.min(5000 * 2 ** attempt, 300_000),
    });
    return;
  }
  try {
    if (outcome.kind === 'complete') await outcomes.complete(outcome.variables ?? {});
    else await outcomes.handleBpmnError(outcome.code, outcome.message);
  } catch (err) {
    // The lock expires and the task is fetched again; handlers are idempotent.
    deps.log.warn(
      { topic: worker.topic, taskId: task.id, err: (err as Error).message },
      `${outcome.kind} failed`,
    );
  }
}

export function startWorkers(
  engine: EngineClient,
  deps: WorkerDeps,
  opts: {
    concurrency: number;
    workerId?: string;
    /** Only these tenants' tasks (tests share one engine). */ tenantIds?: string[];
  },
) {
  const handlerDeps: WorkerDeps = { ...deps, engine };
  return startExternalTasks(engine, {
    workerId: opts.workerId ?? `reclamatii-${process.pid}`,
    concurrency: opts.concurrency,
    tenantIds: opts.tenantIds,
    log: deps.log,
    subscriptions: WORKERS.map((w) => ({
      topic: w.topic,
      variables: w.variables,
      lockDurationMs: w.lockDurationMs,
      handle: (task, outcomes) => runHandler(w, task, outcomes, handlerDeps),
    })),
  });
}
