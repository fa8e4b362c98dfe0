import * as repo from './cases.repo.ts';

/*
 * What other modules read and add to a case record: the case by number, id or process instance, and its history
 * of events. The cases module owns the `cases` and `case_events` tables (server/db/schema/README.md); these are
 * the only doors to them from outside, so a change of their shape stays inside this module.
 */

/** The case with its customer and place of consumption, by its registration number; null when none. */
export const getCaseByNumber: typeof repo.getCaseByNumber = (db, tenantId, number) =>
  repo.getCaseByNumber(db, tenantId, number);

/** The case row by id; null when none. */
export const getCaseById: typeof repo.getCaseById = (db, tenantId, caseId) =>
  repo.getCaseById(db, tenantId, caseId);

/** The cases of these process instances (the inbox joins tasks to their cases). */
export const getCasesByProcessInstance: typeof repo.getCasesByProcessInstance = (db, tenantId, ids) =>
  repo.getCasesByProcessInstance(db, tenantId, ids);

/** The cases of these numbers. */
export const getCasesByNumbers: typeof repo.getCasesByNumbers = (db, tenantId, numbers) =>
  repo.getCasesByNumbers(db, tenantId, numbers);

/** Adds an event to the case's history (public events are what the consumer sees on the status page). */
export const addCaseEvent: typeof repo.addCaseEvent = (db, event) => repo.addCaseEvent(db, event);

/** The case's history, oldest first; `publicOnly` for what the consumer may see. */
export const listCaseEvents: typeof repo.listCaseEvents = (db, tenantId, caseId, publicOnly) =>
  repo.listCaseEvents(db, tenantId, caseId, publicOnly);

/**
 * Records when the answer counts as given, once: the first of SMTP acceptance, the letter's recorded dispatch or
 * the consumer's download of the answer from the portal. Returns whether this call recorded it.
 */
export const recordAnswerCommunication: typeof repo.recordAnswerCommunication = (
  db,
  tenantId,
  caseId,
  at,
  by,
) => repo.recordAnswerCommunication(db, tenantId, caseId, at, by);

/** What a completed task writes on the case (findings, answer, reclassification), in the task's transaction. */
export const updateCaseFromTask: typeof repo.updateCaseFromTask = (db, tenantId, caseId, set) =>
  repo.updateCaseFromTask(db, tenantId, caseId, set);

/** The consumer was identified: the case gets the customer and place (identification's confirmation). */
export const setCaseConsumer: typeof repo.setCaseConsumer = (db, tenantId, caseId, c) =>
  repo.setCaseConsumer(db, tenantId, caseId, c);

/** Whether a message of this kind went out for the case already (once per case and kind). */
export const hasOutgoingMessage: typeof repo.hasOutgoingMessage = (db, caseId, kind) =>
  repo.hasOutgoingMessage(db, caseId, kind);

/** Records our message to the consumer or staff, once per case and kind; false when it was recorded already. */
export const recordOutgoingMessage: typeof repo.insertOutgoingMessage = (db, m) =>
  repo.insertOutgoingMessage(db, m);

/** The text of the case's latest event of this type (e.g. what triage asked the consumer to add), or null. */
export const latestCaseEventMessage: typeof repo.latestEventMessage = (db, caseId, type) =>
  repo.latestEventMessage(db, caseId, type);

/** The cases of these customers, newest first, at most `limit` (the call center shows earlier complaints). */
export const casesOfCustomers: typeof repo.casesOfCustomers = (db, tenantId, customerIds, limit) =>
  repo.casesOfCustomers(db, tenantId, customerIds, limit);

/** A complaint resolved during the call: the agent's words are the findings and the answer. */
export const recordResolutionOnCall: typeof repo.setResolution = (db, tenantId, caseId, resolution) =>
  repo.setResolution(db, tenantId, caseId, resolution);

/** The newest open case that contests `earlierId`, if any (a further message joins it instead of a new case). */
export const openCaseContesting: typeof repo.openCaseContesting = (db, tenantId, earlierId) =>
  repo.openCaseContesting(db, tenantId, earlierId);

/** Links a new case to the earlier one it contests (without the history entry linkContestation writes). */
export const setContestedCase: typeof repo.setContestedCase = (db, tenantId, caseId, contestsCaseId) =>
  repo.setContestedCase(db, tenantId, caseId, contestsCaseId);

/** Files a complaint case that was in fact a GDPR request (privacy converts it), in the caller's transaction. */
export const fileCaseAsGdprRequest: typeof repo.fileAsGdprRequest = (db, tenantId, caseId, f) =>
  repo.fileAsGdprRequest(db, tenantId, caseId, f);

/** Removes the personal data of the case row and of our messages (retention, erasure), in the caller's transaction. */
export const anonymiseCase: typeof repo.anonymiseCaseRows = (db, tenantId, caseId, removed) =>
  repo.anonymiseCaseRows(db, tenantId, caseId, removed);
