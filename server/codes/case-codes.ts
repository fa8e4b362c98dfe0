/**
 * The codes a case carries (category, channel, status) and their Romanian labels: one list for the database
 * schema, the API's schemas, the letters and the web pages. No imports: the web pages import this file too
 * (SvelteKit alias `$codes`, into the browser bundle), so it must stay free of server code.
 */

/**
 * ANRE Order 16/2015 art. 2(1) a)–i): what the complaint is about, nothing else. Who sent it (the consumer or an
 * authority such as ANRE/ANPC) is the case's `source`; a GDPR request is not a complaint (`kind`).
 */
export const complaintCategories = [
  'contractare',
  'facturare',
  'oferte_preturi_tarife',
  'continuitate_alimentare',
  'calitate_energie',
  'grup_masurare',
  'schimbare_furnizor',
  'informare_clienti',
  'solutionare_plangeri',
] as const;
export type ComplaintCategory = (typeof complaintCategories)[number];

/** Order 16/2015: call centre, e-mail, online form (portal), and the paper channels: the counter, post and fax. */
export const channels = ['call_center', 'email', 'portal', 'counter', 'post', 'fax'] as const;
export type Channel = (typeof channels)[number];
export const CHANNEL_LABELS: Record<Channel, string> = {
  call_center: 'Call center',
  email: 'E-mail',
  portal: 'Portal',
  counter: 'Ghișeu (punct unic de contact)',
  post: 'Poștă',
  fax: 'Fax',
};

export const caseStatuses = [
  'registered',
  'in_progress',
  'answer_sent',
  'closed',
  'filed',
  'annulled',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

/*
 * Where a case stands, by its status: each of these words is defined here and only here (issue 14 item 4).
 *   registered, in_progress   open        it waits for its answer
 *   answer_sent               answered    the answer went out; the case is not closed yet
 *   closed, filed             answered    and closed
 *   annulled                              closed (the registration was annulled)
 */

/**
 * Open: the case waits for its answer. The consumer may add information to it, its legal due date runs and the
 * deadline shows; once it is no longer open, a further message from the consumer opens a new, linked case
 * (docs/legal.md, "Further messages from the consumer").
 */
export const openCaseStatuses = ['registered', 'in_progress'] as const satisfies readonly CaseStatus[];

/** Answered: the answer went out (by e-mail, post or the portal), closed since or not; it can be contested. */
export const answeredCaseStatuses = [
  'answer_sent',
  'closed',
  'filed',
] as const satisfies readonly CaseStatus[];

/** Closed: nothing more is done on the case (closed after its answer, filed, or its registration annulled). */
export const closedCaseStatuses = ['closed', 'filed', 'annulled'] as const satisfies readonly CaseStatus[];

/**
 * Not closed: open, or answered while the supplier still follows it (the posted answer's proof of delivery, the
 * compensation owed). The supervisor's list of cases and its index.
 */
export const unclosedCaseStatuses = [
  'registered',
  'in_progress',
  'answer_sent',
] as const satisfies readonly CaseStatus[];

const isIn = (list: readonly string[]) => (status: string) => list.includes(status);
export const isOpenCase: (status: string) => boolean = isIn(openCaseStatuses);
export const isAnsweredCase: (status: string) => boolean = isIn(answeredCaseStatuses);
export const isClosedCase: (status: string) => boolean = isIn(closedCaseStatuses);

/** Romanian labels of the categories, for the UI and letters (in the order the call-center select shows). */
export const CATEGORY_LABELS: Record<ComplaintCategory, string> = {
  contractare: 'Contractarea energiei',
  facturare: 'Facturarea',
  oferte_preturi_tarife: 'Ofertarea de prețuri și tarife',
  continuitate_alimentare: 'Continuitatea în alimentare',
  calitate_energie: 'Calitatea energiei furnizate',
  grup_masurare: 'Funcționarea grupurilor de măsurare',
  schimbare_furnizor: 'Schimbarea furnizorului',
  informare_clienti: 'Informarea clienților finali',
  solutionare_plangeri: 'Modul de rezolvare a plângerilor anterioare',
};

/** The final customer's type (ANRE reports count per type); the customer file says `casnic` / `noncasnic`. */
export const customerTypes = ['household', 'non_household'] as const;
export type CustomerType = (typeof customerTypes)[number];
export const CUSTOMER_TYPE_LABELS: Record<CustomerType, string> = {
  household: 'Client casnic',
  non_household: 'Client noncasnic',
};

/** The energy the complaint is about; the place of consumption says `energie_electrica` / `gaze_naturale`. */
export const energies = ['electricity', 'gas'] as const;
export type Energy = (typeof energies)[number];
export const ENERGY_LABELS: Record<Energy, string> = {
  electricity: 'Energie electrică',
  gas: 'Gaze naturale',
};

/**
 * Who brought the complaint: the consumer (or someone for them), or an authority (ANRE, ANPC) that forwarded it
 * with its own reference number and, sometimes, its own deadline.
 */
export const caseSources = ['consumer', 'authority'] as const;
export type CaseSource = (typeof caseSources)[number];
export const CASE_SOURCE_LABELS: Record<CaseSource, string> = {
  consumer: 'Consumatorul',
  authority: 'Transmisă de o autoritate (ANRE, ANPC)',
};

/**
 * What the registration turned out to be: a complaint (counted in the ANRE statistics), not a complaint (a
 * request for information, a meter reading: filed with a short answer, not counted), or a request about personal
 * data (GDPR art. 12–22: its own deadline, never a complaint).
 */
export const caseKinds = ['complaint', 'not_a_complaint', 'gdpr_request'] as const;
export type CaseKind = (typeof caseKinds)[number];

/** The customer file's codes in the case's (and the API's) words. */
export function customerTypeOf(fileType: string | null | undefined): CustomerType | null {
  if (fileType === 'casnic') return 'household';
  if (fileType === 'noncasnic') return 'non_household';
  return null;
}
export function energyOf(placeEnergy: string | null | undefined): Energy | null {
  if (placeEnergy === 'energie_electrica') return 'electricity';
  if (placeEnergy === 'gaze_naturale') return 'gas';
  return null;
}

/** The status of a case in words, the same for staff, the public status page and the portal. */
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  registered: 'Înregistrată',
  in_progress: 'În analiză',
  answer_sent: 'Răspuns transmis',
  closed: 'Soluționată',
  filed: 'Clasată',
  annulled: 'Anulată',
};
