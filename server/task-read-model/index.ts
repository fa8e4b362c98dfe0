/**
 * The inbox read model's public face (.dependency-cruiser.cjs): the task rows the inbox queries (never the
 * engine), fed by the engine's task events, rebuilt from the engine on demand, and kept current by the modules
 * that change a task or a case between two events.
 */
export {
  anonymiseInboxRowsOfCase,
  noteTaskAssignee,
  noteTaskCompleted,
  refreshTasksOfCase,
} from './read-model.ts';
export { checkInboxReadModel, rebuildInbox, rebuildTenantInbox, type InboxRebuildReport } from './rebuild.ts';
export {
  startTaskEventConsumer,
  type TaskEventConsumer,
  type TaskEventConsumerOptions,
} from './task-event-consumer.ts';
