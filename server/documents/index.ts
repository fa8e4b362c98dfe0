/**
 * The documents module's public face (.dependency-cruiser.cjs): the PDFs we issue (rendered from the letter
 * templates, stored once with their SHA-256) and the postal register of letters to post.
 */
export {
  caseDocument,
  caseDocuments,
  queueDsrLetter,
  queueLetter,
  postalRegister,
  recordPostalDispatch,
  storeCaseDocument,
  type DispatchFacts,
  type PostalDispatch,
} from './documents.service.ts';
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
