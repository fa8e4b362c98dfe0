/**
 * The documents module's public face (.dependency-cruiser.cjs): the PDFs we issue (rendered from the letter
 * templates, stored once with their SHA-256), the postal register of letters to post, and the store of what was
 * received (raw e-mails, attachments, portal files) under its SHA-256.
 */
export {
  anonymiseDocumentsOfCase,
  caseDocument,
  caseDocuments,
  letterPostedAt,
  queueDsrLetter,
  queueLetter,
  postalRegister,
  recordPostalDispatch,
  storeCaseDocument,
  type DispatchFacts,
  type PostalDispatch,
} from './documents.service.ts';
export {
  commitUpload,
  discardUploads,
  getBlob,
  purgeAbandonedUploads,
  putBlob,
  stageUpload,
  UPLOAD_PART_BYTES,
  type StagedUpload,
} from './blob-store.ts';
export { renderPdf } from './pdf.ts';
export {
  acknowledgementLetter,
  answerLetter,
  letterheadOf,
  noticeLetter,
  verificationReport,
  type LetterCase,
  type Letterhead,
} from './templates.ts';
