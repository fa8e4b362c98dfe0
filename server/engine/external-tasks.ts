/**
 * External tasks (the service tasks the workers implement), through the same door as every other engine call.
 *
 * camunda-external-task-client-js does the polling and the dispatch to handlers (topics, max parallel executions,
 * the fetch-and-lock loop). It never gets the engine's address or credentials: its HTTP layer is replaced by
 * the EngineClient's transport (transportOf), so fetch-and-lock has the client's timeout and error mapping (EngineUnavailableError /
 * EngineError), and completing, failing and BPMN errors are EngineClient calls with its optimistic-locking retries.
 */
import { Client, type ExternalTask as LibraryTask } from 'camunda-external-task-client-js';
import { retryingConflicts, toTypedVariables, type EngineClient, type Variables } from './client.ts';
import { transportOf } from './transport.ts';

/** One locked external task, as a handler sees it. */
export interface ExternalTask {
  id: string;
  topicName: string;
  tenantId: string | null;
  businessKey: string | null;
  processInstanceId: string;
  /** Null before the first failure. */
  retries: number | null;
  variable(name: string): unknown;
}

/** The three ways a handler ends a task; each one call to the engine as this worker. */
export interface ExternalTaskOutcomes {
  complete(variables: Variables): Promise<void>;
  handleFailure(f: {
    errorMessage: string;
    errorDetails?: string;
    retries: number;
    retryTimeout: number;
  }): Promise<void>;
  handleBpmnError(errorCode: string, errorMessage?: string): Promise<void>;
}

export interface ExternalTaskSubscription {
  topic: string;
  /** Only the variables the handler reads. */
  variables: string[];
  lockDurationMs: number;
  handle(task: ExternalTask, outcomes: ExternalTaskOutcomes): Promise<void>;
}

export interface ExternalTaskLog {
  warn(obj: object, msg: string): void;
}

/** Completes an external task as this worker (conflicts retried at once instead of waiting for the lock to expire). */
export function completeExternalTask(
  engine: EngineClient,
  id: string,
  workerId: string,
  variables: Variables,
): Promise<void> {
  return retryingConflicts(() =>
    transportOf(engine).request('POST', `/external-task/${encodeURIComponent(id)}/complete`, {
      workerId,
      variables: toTypedVariables(variables),
    }),
  );
}

function outcomesFor(engine: EngineClient, id: string, workerId: string): ExternalTaskOutcomes {
  const path = `/external-task/${encodeURIComponent(id)}`;
  return {
    complete: (variables) => completeExternalTask(engine, id, workerId, variables),
    handleFailure: (f) =>
      retryingConflicts(() => transportOf(engine).request('POST', `${path}/failure`, { ...f, workerId })),
    handleBpmnError: (errorCode, errorMessage) =>
      retryingConflicts(() =>
        transportOf(engine).request('POST', `${path}/bpmnError`, { workerId, errorCode, errorMessage }),
      ),
  };
}

/**
 * Polls the engine for these topics and runs each locked task's handler, at most `concurrency` at once. A handler
 * that throws is logged (the handlers of server/workers report their own failures; the lock expiring is the net).
 */
export function startExternalTasks(
  engine: EngineClient,
  opts: {
    workerId: string;
    concurrency: number;
    /** Only these tenants' tasks (tests share one engine). */
    tenantIds?: string[];
    subscriptions: ExternalTaskSubscription[];
    log: ExternalTaskLog;
  },
): { stop(): void } {
  const client = new Client({
    // Never contacted: every request goes through the engine client's transport (below). The `.invalid` top-level domain
    // cannot resolve, so a library change that bypassed the hook would fail loudly, without credentials.
    baseUrl: 'http://external-tasks.invalid',
    workerId: opts.workerId,
    maxTasks: opts.concurrency,
    maxParallelExecutions: opts.concurrency,
    interval: 50,
    // The engine holds the poll open this long when no task is there; it must end before the request timeout.
    asyncResponseTimeout: Math.min(10_000, Math.floor(engine.timeoutMs / 2)),
    autoPoll: false,
    use: [
      (c) => {
        c.engineService.request = (method, path, options) =>
          transportOf(engine).request(method, path, options?.json);
      },
    ],
  });
  client.on('poll:error', (e: unknown) => opts.log.warn({ err: (e as Error).message }, 'worker poll failed'));
  client.on('handler:error', (e: unknown) =>
    opts.log.warn({ err: (e as Error)?.message }, 'worker handler failed'),
  );
  for (const s of opts.subscriptions) {
    client.subscribe(
      s.topic,
      {
        lockDuration: s.lockDurationMs,
        variables: s.variables,
        ...(opts.tenantIds ? { tenantIdIn: opts.tenantIds } : {}),
      },
      ({ task }) => s.handle(toTask(task), outcomesFor(engine, task.id, opts.workerId)),
    );
  }
  client.start();
  return { stop: () => client.stop() };
}

function toTask(t: LibraryTask): ExternalTask {
  return {
    id: t.id,
    topicName: t.topicName,
    tenantId: t.tenantId,
    businessKey: t.businessKey,
    processInstanceId: t.processInstanceId,
    retries: t.retries,
    variable: (name) => t.variables.get(name),
  };
}
