/**
 * The codes of data-subject requests and of the personal-data access log, with their Romanian labels. No imports:
 * the web pages import this file too.
 */

/** GDPR art. 15–21: what the person asks for. */
export const dataSubjectRights = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'portability',
  'objection',
] as const;
export type DataSubjectRight = (typeof dataSubjectRights)[number];
export const RIGHT_LABELS: Record<DataSubjectRight, string> = {
  access: 'Acces la date (art. 15)',
  rectification: 'Rectificare (art. 16)',
  erasure: 'Ștergere (art. 17)',
  restriction: 'Restricționarea prelucrării (art. 18)',
  portability: 'Portabilitate (art. 20)',
  objection: 'Opoziție (art. 21)',
};

/** Where the request came from; `staff` covers the counter and a letter typed in by staff. */
export const dsrChannels = ['call_center', 'portal', 'email', 'staff'] as const;
export type DsrChannel = (typeof dsrChannels)[number];

export const dsrStatuses = ['open', 'answered'] as const;
export type DsrStatus = (typeof dsrStatuses)[number];

/** granted: done as asked; partly_refused: done where the law allows, the rest refused with its reason. */
export const dsrOutcomes = ['granted', 'partly_refused', 'refused'] as const;
export type DsrOutcome = (typeof dsrOutcomes)[number];
export const OUTCOME_LABELS: Record<DsrOutcome, string> = {
  granted: 'Admisă',
  partly_refused: 'Admisă parțial',
  refused: 'Respinsă',
};

export const dsrDocumentKinds = ['acknowledgement', 'extension_notice', 'answer'] as const;
export type DsrDocumentKind = (typeof dsrDocumentKinds)[number];

/** What a read in the access log was of. */
export const accessSubjects = ['case', 'message', 'document', 'customer', 'export'] as const;
export type AccessSubject = (typeof accessSubjects)[number];
export const ACCESS_SUBJECT_LABELS: Record<AccessSubject, string> = {
  case: 'Dosar',
  message: 'Mesaj primit',
  document: 'Document',
  customer: 'Client',
  export: 'Export de date',
};

/** The job role of the data-protection officer (server/codes/job-roles.ts). */
export const DPO_ROLE = 'DPO';

/** Default retention of closed cases' personal data, in years after closing (docs/legal.md, "GDPR"). */
export const DEFAULT_RETENTION_YEARS = 5;
