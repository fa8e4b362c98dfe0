/**
 * What the triage form may decide (server/tasks/task-forms.ts checks it, the task page offers it). No imports:
 * the web pages import this file too.
 */
export const TRIAGE_OUTCOMES = ['admissible', 'incomplete', 'duplicate', 'misdirected', 'anonymous'] as const;
export type TriageOutcome = (typeof TRIAGE_OUTCOMES)[number];
