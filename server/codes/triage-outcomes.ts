/**
 * What the triage form may decide (server/tasks/task-forms.ts checks it, the task page offers it). No imports:
 * the web pages import this file too.
 */
export const TRIAGE_OUTCOMES = [
  'admissible',
  'incomplete',
  'duplicate',
  'misdirected',
  'anonymous',
  'not_a_complaint',
  'withdrawn',
] as const;
export type TriageOutcome = (typeof TRIAGE_OUTCOMES)[number];

/** Outcomes that end the case without an answer on the merits (the case's `filedReason`). */
export const FILING_OUTCOMES: readonly TriageOutcome[] = [
  'duplicate',
  'misdirected',
  'anonymous',
  'not_a_complaint',
  'withdrawn',
];
