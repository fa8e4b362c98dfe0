/**
 * The one door to the engine: a typed client over the Camunda 7 REST API (Operaton serves the same API).
 * Nothing else in the codebase speaks HTTP to the engine, and the browser never does.
 *
 * The calls live in files by what they are about (deployments.ts, process-instances.ts, tasks.ts, timers.ts) and
 * go through one transport (transport.ts: address, credentials, timeout, error mapping); this class is the one
 * object callers hold, one per process, and its methods are those calls. Tests subclass it to inject failures.
 */
import * as deployments from './deployments.ts';
import * as instances from './process-instances.ts';
import * as tasks from './tasks.ts';
import * as timers from './timers.ts';
import { EngineTransport } from './transport.ts';

export { EngineError, EngineUnavailableError, retryingConflicts } from './errors.ts';
export { toTypedVariables, type VariableValue, type Variables } from './variables.ts';
export type { EngineClientOptions } from './transport.ts';
export type { ActivityStatistics, Definition, Deployment } from './deployments.ts';
export type { HistoricActivity, ProcessInstance } from './process-instances.ts';
export type { EngineTask, TaskQuery } from './tasks.ts';

/** A call's arguments after the transport. */
type Args<F> = F extends (t: EngineTransport, ...args: infer A) => unknown ? A : never;

export class EngineClient extends EngineTransport {
  // --- Deployments, definitions and statistics (deployments.ts)
  engineInfo(...a: Args<typeof deployments.engineInfo>) {
    return deployments.engineInfo(this, ...a);
  }
  deploy(...a: Args<typeof deployments.deploy>) {
    return deployments.deploy(this, ...a);
  }
  listDeployments(...a: Args<typeof deployments.listDeployments>) {
    return deployments.listDeployments(this, ...a);
  }
  getBpmnXml(...a: Args<typeof deployments.getBpmnXml>) {
    return deployments.getBpmnXml(this, ...a);
  }
  listProcessDefinitions(...a: Args<typeof deployments.listProcessDefinitions>) {
    return deployments.listProcessDefinitions(this, ...a);
  }
  listDecisionDefinitions(...a: Args<typeof deployments.listDecisionDefinitions>) {
    return deployments.listDecisionDefinitions(this, ...a);
  }
  getDefinition(...a: Args<typeof deployments.getDefinition>) {
    return deployments.getDefinition(this, ...a);
  }
  getDmnXml(...a: Args<typeof deployments.getDmnXml>) {
    return deployments.getDmnXml(this, ...a);
  }
  runningInstanceCounts(...a: Args<typeof deployments.runningInstanceCounts>) {
    return deployments.runningInstanceCounts(this, ...a);
  }
  activityStatistics(...a: Args<typeof deployments.activityStatistics>) {
    return deployments.activityStatistics(this, ...a);
  }

  // --- Process instances (process-instances.ts)
  startProcess(...a: Args<typeof instances.startProcess>) {
    return instances.startProcess(this, ...a);
  }
  correlateMessage(...a: Args<typeof instances.correlateMessage>) {
    return instances.correlateMessage(this, ...a);
  }
  findProcessInstances(...a: Args<typeof instances.findProcessInstances>) {
    return instances.findProcessInstances(this, ...a);
  }
  findHistoricProcessInstances(...a: Args<typeof instances.findHistoricProcessInstances>) {
    return instances.findHistoricProcessInstances(this, ...a);
  }
  activityHistory(...a: Args<typeof instances.activityHistory>) {
    return instances.activityHistory(this, ...a);
  }
  deleteProcessInstance(...a: Args<typeof instances.deleteProcessInstance>) {
    return instances.deleteProcessInstance(this, ...a);
  }
  processInstancesByIds(...a: Args<typeof instances.processInstancesByIds>) {
    return instances.processInstancesByIds(this, ...a);
  }
  activeActivityIds(...a: Args<typeof instances.activeActivityIds>) {
    return instances.activeActivityIds(this, ...a);
  }

  // --- User tasks (tasks.ts)
  queryTasks(...a: Args<typeof tasks.queryTasks>) {
    return tasks.queryTasks(this, ...a);
  }
  countTasks(...a: Args<typeof tasks.countTasks>) {
    return tasks.countTasks(this, ...a);
  }
  getTask(...a: Args<typeof tasks.getTask>) {
    return tasks.getTask(this, ...a);
  }
  taskEnd(...a: Args<typeof tasks.taskEnd>) {
    return tasks.taskEnd(this, ...a);
  }
  getCandidateGroups(...a: Args<typeof tasks.getCandidateGroups>) {
    return tasks.getCandidateGroups(this, ...a);
  }
  claim(...a: Args<typeof tasks.claim>) {
    return tasks.claim(this, ...a);
  }
  setAssignee(...a: Args<typeof tasks.setAssignee>) {
    return tasks.setAssignee(this, ...a);
  }
  unclaim(...a: Args<typeof tasks.unclaim>) {
    return tasks.unclaim(this, ...a);
  }
  complete(...a: Args<typeof tasks.complete>) {
    return tasks.complete(this, ...a);
  }

  // --- Timer jobs (timers.ts)
  moveTimers(...a: Args<typeof timers.moveTimers>) {
    return timers.moveTimers(this, ...a);
  }
  moveTimersDueAt(...a: Args<typeof timers.moveTimersDueAt>) {
    return timers.moveTimersDueAt(this, ...a);
  }
  timerDueDates(...a: Args<typeof timers.timerDueDates>) {
    return timers.timerDueDates(this, ...a);
  }
}
