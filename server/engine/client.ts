/**
 * The one door to the engine: a typed client over the Camunda 7 REST API (Operaton serves the same API).
 * Nothing else in the codebase speaks HTTP to the engine, and the browser never does.
 *
 * The calls live in files by what they are about (deployments.ts, process-instances.ts, tasks.ts, timers.ts) and
 * go through one transport (transport.ts: address, credentials, timeout, error mapping); this class is the one
 * object callers hold, one per process (eslint refuses `new EngineClient` outside the composition roots), and its
 * methods are those calls. Tests subclass it to inject failures.
 */
import * as deployments from './deployments.ts';
import * as instances from './process-instances.ts';
import * as tasks from './tasks.ts';
import * as timers from './timers.ts';
import { bindTransport, EngineTransport, type EngineClientOptions } from './transport.ts';

export { EngineError, EngineUnavailableError, retryingConflicts } from './errors.ts';
export { toTypedVariables, type VariableValue, type Variables } from './variables.ts';
export type { EngineClientOptions } from './transport.ts';
export type { ActivityStatistics, Definition, Deployment } from './deployments.ts';
export type { HistoricActivity, ProcessInstance } from './process-instances.ts';
export type { EngineTask, TaskQuery } from './tasks.ts';

/** A call's arguments after the transport. */
type Args<F> = F extends (t: EngineTransport, ...args: infer A) => unknown ? A : never;

/**
 * Holds its transport in a private field instead of extending it: whoever holds the client gets the typed calls
 * only, never a `request` to an arbitrary REST path. The few raw calls of server/engine (incidents, external
 * tasks) reach the transport through `transportOf` in transport.ts, which nothing outside server/engine may import.
 */
export class EngineClient {
  readonly #transport: EngineTransport;
  /** Per-request timeout (the external-task client's long poll is sized to fit under it). */
  readonly timeoutMs: number;

  constructor(opts: EngineClientOptions) {
    this.#transport = new EngineTransport(opts);
    this.timeoutMs = this.#transport.timeoutMs;
    bindTransport(this, this.#transport);
  }

  // --- Deployments, definitions and statistics (deployments.ts)
  engineInfo(...a: Args<typeof deployments.engineInfo>) {
    return deployments.engineInfo(this.#transport, ...a);
  }
  deploy(...a: Args<typeof deployments.deploy>) {
    return deployments.deploy(this.#transport, ...a);
  }
  listDeployments(...a: Args<typeof deployments.listDeployments>) {
    return deployments.listDeployments(this.#transport, ...a);
  }
  getBpmnXml(...a: Args<typeof deployments.getBpmnXml>) {
    return deployments.getBpmnXml(this.#transport, ...a);
  }
  listProcessDefinitions(...a: Args<typeof deployments.listProcessDefinitions>) {
    return deployments.listProcessDefinitions(this.#transport, ...a);
  }
  listDecisionDefinitions(...a: Args<typeof deployments.listDecisionDefinitions>) {
    return deployments.listDecisionDefinitions(this.#transport, ...a);
  }
  getDefinition(...a: Args<typeof deployments.getDefinition>) {
    return deployments.getDefinition(this.#transport, ...a);
  }
  getDmnXml(...a: Args<typeof deployments.getDmnXml>) {
    return deployments.getDmnXml(this.#transport, ...a);
  }
  runningInstanceCounts(...a: Args<typeof deployments.runningInstanceCounts>) {
    return deployments.runningInstanceCounts(this.#transport, ...a);
  }
  activityStatistics(...a: Args<typeof deployments.activityStatistics>) {
    return deployments.activityStatistics(this.#transport, ...a);
  }

  // --- Process instances (process-instances.ts)
  startProcess(...a: Args<typeof instances.startProcess>) {
    return instances.startProcess(this.#transport, ...a);
  }
  correlateMessage(...a: Args<typeof instances.correlateMessage>) {
    return instances.correlateMessage(this.#transport, ...a);
  }
  findProcessInstances(...a: Args<typeof instances.findProcessInstances>) {
    return instances.findProcessInstances(this.#transport, ...a);
  }
  findHistoricProcessInstances(...a: Args<typeof instances.findHistoricProcessInstances>) {
    return instances.findHistoricProcessInstances(this.#transport, ...a);
  }
  activityHistory(...a: Args<typeof instances.activityHistory>) {
    return instances.activityHistory(this.#transport, ...a);
  }
  deleteProcessInstance(...a: Args<typeof instances.deleteProcessInstance>) {
    return instances.deleteProcessInstance(this.#transport, ...a);
  }
  processInstancesByIds(...a: Args<typeof instances.processInstancesByIds>) {
    return instances.processInstancesByIds(this.#transport, ...a);
  }
  activeActivityIds(...a: Args<typeof instances.activeActivityIds>) {
    return instances.activeActivityIds(this.#transport, ...a);
  }

  // --- User tasks (tasks.ts)
  queryTasks(...a: Args<typeof tasks.queryTasks>) {
    return tasks.queryTasks(this.#transport, ...a);
  }
  countTasks(...a: Args<typeof tasks.countTasks>) {
    return tasks.countTasks(this.#transport, ...a);
  }
  getTask(...a: Args<typeof tasks.getTask>) {
    return tasks.getTask(this.#transport, ...a);
  }
  taskEnd(...a: Args<typeof tasks.taskEnd>) {
    return tasks.taskEnd(this.#transport, ...a);
  }
  getCandidateGroups(...a: Args<typeof tasks.getCandidateGroups>) {
    return tasks.getCandidateGroups(this.#transport, ...a);
  }
  claim(...a: Args<typeof tasks.claim>) {
    return tasks.claim(this.#transport, ...a);
  }
  setAssignee(...a: Args<typeof tasks.setAssignee>) {
    return tasks.setAssignee(this.#transport, ...a);
  }
  unclaim(...a: Args<typeof tasks.unclaim>) {
    return tasks.unclaim(this.#transport, ...a);
  }
  complete(...a: Args<typeof tasks.complete>) {
    return tasks.complete(this.#transport, ...a);
  }

  // --- Timer jobs (timers.ts)
  moveTimers(...a: Args<typeof timers.moveTimers>) {
    return timers.moveTimers(this.#transport, ...a);
  }
  moveTimersDueAt(...a: Args<typeof timers.moveTimersDueAt>) {
    return timers.moveTimersDueAt(this.#transport, ...a);
  }
  timerDueDates(...a: Args<typeof timers.timerDueDates>) {
    return timers.timerDueDates(this.#transport, ...a);
  }
}
