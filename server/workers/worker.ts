import type { Db } from '../db/client.ts';
import type { EngineClient } from '../engine/client.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Logger } from '../logger.ts';

/** What a worker handler may use. Workers call the same domain services as the HTTP routes. */
export interface WorkerDeps {
  db: Db;
  mailer: Mailer;
  secret: string;
  log: Logger;
  /** The one door to the engine (set by startWorkers): handlers that read tasks or definitions use it. */
  engine?: EngineClient;
}

export interface WorkerTask {
  id: string;
  tenantId: string;
  businessKey: string | null;
  processInstanceId: string;
  retries: number | null;
  variable(name: string): unknown;
}

/** Every handler ends in exactly one of these; a thrown error becomes a failure with retries and backoff. */
export type Outcome =
  | { kind: 'complete'; variables?: Record<string, string | number | boolean | null> }
  | { kind: 'bpmnError'; code: string; message: string };

export interface Worker {
  topic: string;
  /** Only the variables the handler reads. */
  variables: string[];
  lockDurationMs: number;
  handler(task: WorkerTask, deps: WorkerDeps): Promise<Outcome>;
}

export function defineWorker(w: Worker): Worker {
  return w;
}

/** Handlers fail loudly on a malformed task rather than guessing. */
export function requireString(task: WorkerTask, name: string): string {
  const v = task.variable(name);
  if (typeof v !== 'string' || !v) throw new Error(`variable ${name} is missing`);
  return v;
}
