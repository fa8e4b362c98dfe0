/**
 * External-task topics: the strings the BPMN files use in `camunda:topic`. A test parses processes/*.bpmn and
 * checks that every topic there has exactly one worker and that no worker is orphaned.
 */
export const TOPICS = {
  acknowledge: 'acknowledge',
  sendAnswer: 'send-answer',
  closeCase: 'close-case',
  fileCase: 'file-case',
  deadlineWarning: 'deadline-warning',
  recordBreach: 'record-breach',
  computeCompensation: 'compute-compensation',
  sendOperatorRequest: 'send-operator-request',
  extendDeadline: 'extend-deadline',
  openReviewPeriod: 'open-review-period',
  requestCompletion: 'request-completion',
  resumeClock: 'resume-clock',
  notifyCompensation: 'notify-compensation',
  requestExtension: 'request-extension',
} as const;

export type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/** The process every registered complaint starts. */
export const COMPLAINT_PROCESS_KEY = 'complaint';

/** BPMN messages the Node side correlates (`<bpmn:message name>` in the process). */
export const MESSAGES = {
  /** A consumer's reply to an open case (e-mail intake). */
  consumerAddedInformation: 'consumer-added-information',
  /** The distribution operator answered our data request (matched by our reference). */
  operatorAnswered: 'operator-answered',
  /** An officer (or the operator-request path) proposes to extend the deadline: SEF decides (IL-32). */
  extensionRequested: 'deadline-extension-requested',
} as const;
