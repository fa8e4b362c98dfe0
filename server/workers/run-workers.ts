import {
  BasicAuthInterceptor,
  Client,
  Variables,
  type ExternalTask,
  type TaskService,
} from 'camunda-external-task-client-js';
import type { EngineClient, Variables as Variables_ } from '../engine/client.ts';
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
    variable: (name) => task.variables.get(name),
  };
}

/**
 * Runs a handler and always reports exactly one outcome to the engine (the client library alone would swallow a
 * thrown error and let the lock expire forever). Failures count retries down to an incident, with backoff.
 */
export async function runHandler(
  worker: Worker,
  task: ExternalTask,
  taskService: TaskService,
  deps: WorkerDeps,
  /** Completes over our engine client (retrying optimistic-locking conflicts); the library's call otherwise. */
  complete?: (task: ExternalTask, variables: Variables_) => Promise<void>,
) {
  let outcome: Outcome;
  try {
    outcome = await worker.handler(toWorkerTask(task), deps);
  } catch (err) {
    const retries = (task.retries ?? DEFAULT_RETRIES) - 1;
    const attempt = DEFAULT_RETRIES - retries;
    deps.log.warn(
      { topic: worker.topic, taskId: task.id, retries, err: (err as Error).message },
      'worker failed',
    );
    await taskService.handleFailure(task, {
      errorMessage: (err as Error).message.slice(0, 250),
      errorDetails: (err as Error).stack ?? String(err),
      retries: Math.max(retries, 0),
      retryTimeout: Math.min(5000 * 2 ** attempt, 300_000),
    });
    return;
  }
  if (outcome.kind === 'complete') {
    if (!complete) {
      await taskService.complete(task, new Variables().setAll(outcome.variables ?? {}));
      return;
    }
    try {
      await complete(task, outcome.variables ?? {});
    } catch (err) {
      // The lock expires and the task is fetched again; handlers are idempotent.
      deps.log.warn({ topic: worker.topic, taskId: task.id, err: (err as Error).message }, 'complete failed');
    }
  } else {
    await taskService.handleBpmnError(task, outcome.code, outcome.message);
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
  const { user, password } = engine.credentials;
  const handlerDeps: WorkerDeps = { ...deps, engine };
  const workerId = opts.workerId ?? `reclamatii-${process.pid}`;
  const client = new Client({
    baseUrl: engine.url,
    workerId,
    maxTasks: opts.concurrency,
    maxParallelExecutions: opts.concurrency,
    interval: 50,
    asyncResponseTimeout: 10_000,
    interceptors: [
      new BasicAuthInterceptor({ username: user, password }) as unknown as (
        c: Record<string, unknown>,
      ) => Record<string, unknown>,
    ],
  });
  client.on('poll:error', (e: unknown) => deps.log.warn({ err: (e as Error).message }, 'worker poll failed'));
  client.on('complete:error', (_t: unknown, e: unknown) =>
    deps.log.warn({ err: (e as Error)?.message }, 'worker complete failed'),
  );
  for (const w of WORKERS) {
    client.subscribe(
      w.topic,
      {
        lockDuration: w.lockDurationMs,
        variables: w.variables,
        ...(opts.tenantIds ? { tenantIdIn: opts.tenantIds } : {}),
      },
      ({ task, taskService }) =>
        runHandler(w, task, taskService, handlerDeps, (t, vars) =>
          engine.completeExternalTask(t.id, workerId, vars),
        ),
    );
  }
  return {
    stop() {
      client.stop();
    },
  };
}
