/**
 * The tasks module's public face (.dependency-cruiser.cjs): the officers' tasks (claim, hand over, complete with
 * the task's form), the inbox, and task completion as an intent that is applied once (task-completion.ts), which
 * identification uses for its own task too.
 */
export { createTasksService, type TasksService } from './tasks.service.ts';
export { createProcessCatalog, type ProcessCatalog } from './process-catalog.ts';
export { startTaskCompletionDispatcher } from './task-completion-dispatcher.ts';
export { MISSING_INFORMATION_EVENT, TASK_FORMS, type TaskSubmission } from './task-forms.ts';
export {
  applyCompletion,
  COMPLETION_LEASE_SECONDS,
  completionOutcomeUnknown,
  getCompletion,
  latestCompletionOfCase,
  markEngineCompleted,
  outcomeUnknown,
  recordCompletionIntent,
  taskGone,
} from './task-completion.ts';
export { anonymiseCaseComments } from './case-comments.ts';
