/**
 * The cases module's public face (.dependency-cruiser.cjs): the case record and its history, its letters, its
 * process and instruction versions, reclassification, and the staff and public views of a case.
 */
export { accessCodeFor, accessCodeMatches, statusLinkOf } from './access-code.ts';
export {
  addCaseEvent,
  anonymiseCase,
  casesOfCustomers,
  fileCaseAsGdprRequest,
  getCaseById,
  getCaseByNumber,
  getCasesByNumbers,
  getCasesByProcessInstance,
  hasOutgoingMessage,
  latestCaseEventMessage,
  listCaseEvents,
  openCaseContesting,
  recordAnswerCommunication,
  recordOutgoingMessage,
  recordResolutionOnCall,
  setCaseConsumer,
  setContestedCase,
  updateCaseFromTask,
} from './case-records.ts';
export { caseLinks, linkContestation } from './case-links.ts';
export {
  findRegistrationByKey,
  isDuplicateKey,
  purgeOldRegistrationKeys,
  recordRegistration,
  REGISTRATION_KEY_KEPT_MS,
  type RegistrationRow,
} from './registration.ts';
export {
  attemptProcessStart,
  cancelPendingStart,
  LEASE_SECONDS,
  startProcessStartDispatcher,
  type ProcessStartRow,
} from './process-start.ts';
export { caseProcessVersions, caseVersionsOf, recordCaseVersions } from './case-versions.ts';
export {
  caseCorrespondence,
  downloadReceivedAttachment,
  receivedMessagesOfCase,
  type CorrespondenceAttachment,
  type CorrespondenceMessage,
} from './correspondence.ts';
export {
  approvedExtension,
  extensionOptions,
  extensionRefusal,
  requestDeadlineExtension,
  type ExtensionActor,
  type ExtensionCheck,
} from './deadline-extension.service.ts';
export { createCaseProgressService, type CaseProgressService } from './case-progress.service.ts';
export { createCasesService, type CasesDeps, type CasesService } from './cases.service.ts';
export {
  deliverToConsumer,
  loadCaseContext,
  recordWorkerStep,
  sendCaseLetter,
  sendCaseMailOnce,
  type CaseContext,
  type CaseMail,
  type CaseMailDeps,
  type ConsumerDelivery,
  type DeliveryStep,
  type IssuedLetter,
} from './case-mail.ts';
export {
  issueAcknowledgementLetter,
  issueAnswerDocuments,
  issueNoticeLetter,
  postalAddressOf,
  queueLetterAfterBounce,
} from './letters.service.ts';
export {
  reclassification,
  recordReclassification,
  type Classification,
  type Reclassification,
} from './reclassify.ts';
