/**
 * The identification module's public face (.dependency-cruiser.cjs): who sent a complaint, found from what the
 * message says (customer code, POD/CLC, contract, phone, e-mail, address; never the CNP), and the officer's
 * confirmation in the identify task.
 */
export {
  createIdentificationService,
  IDENTIFY_TASK_KEY,
  type IdentificationService,
} from './identification.service.ts';
export {
  anonymiseIdentificationOfCase,
  identifySender,
  recordCandidates,
  EVIDENCE_WEIGHT,
  type Candidate,
  type EvidenceKind,
  type Identification,
} from './identify.ts';
export { addressesIn, extractEvidence, fold, type WrittenEvidence } from './evidence.ts';
