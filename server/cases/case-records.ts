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
