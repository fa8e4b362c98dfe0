/**
 * The codes a case carries (category, channel, status) and their Romanian labels: one list for the database
 * schema, the API's schemas, the letters and the web pages. No imports: the web pages import this file too
 * (SvelteKit alias `$codes`, into the browser bundle), so it must stay free of server code.
 */

/** ANRE Order 16/2015 art. 2(1) a)–i), plus authority-forwarded complaints and GDPR requests. */
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
  'sesizare_autoritate',
  'cerere_gdpr',
] as const;
export type ComplaintCategory = (typeof complaintCategories)[number];

export const channels = ['call_center', 'email', 'portal'] as const;
export type Channel = (typeof channels)[number];

export const caseStatuses = [
  'registered',
  'in_progress',
  'answer_sent',
  'closed',
  'filed',
  'annulled',
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

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
  sesizare_autoritate: 'Sesizare transmisă de o autoritate (ANRE, ANPC)',
  cerere_gdpr: 'Cerere privind datele personale (GDPR)',
};

/** The status of a case in words, the same for staff, the public status page and the portal. */
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  registered: 'Înregistrată',
  in_progress: 'În analiză',
  answer_sent: 'Răspuns transmis',
  closed: 'Soluționată',
  filed: 'Clasată',
  annulled: 'Anulată',
};
