/** Romanian labels for the codes the API returns. Unknown codes fall through unchanged. */
import { CASE_STATUS_LABELS } from '$codes/case-codes';
import { JOB_ROLES } from '$codes/job-roles';
import { TRIAGE_OUTCOMES as TRIAGE_OUTCOME_CODES, type TriageOutcome } from '$codes/triage-outcomes';

const ENERGY: Record<string, string> = {
  energie_electrica: 'Energie electrică',
  gaze_naturale: 'Gaze naturale',
};

const CHANNEL: Record<string, string> = {
  call_center: 'Call center',
  email: 'E-mail',
  portal: 'Portal',
  counter: 'Ghișeu',
  post: 'Poștă',
  fax: 'Fax',
};

const CUSTOMER_TYPE: Record<string, string> = {
  casnic: 'Client casnic',
  noncasnic: 'Client noncasnic',
};

const MESSAGE_KIND: Record<string, string> = {
  acknowledgement: 'Confirmarea înregistrării',
  answer: 'Răspunsul la reclamație',
};

const DOCUMENT_KIND: Record<string, string> = {
  acknowledgement_letter: 'Confirmare de înregistrare',
  answer_letter: 'Răspuns',
  verification_report: 'Notă de constatare',
  completion_request_letter: 'Cerere de completare',
  extension_letter: 'Înștiințare de prelungire a termenului',
  filing_letter: 'Înștiințare de clasare',
  compensation_letter: 'Înștiințare privind compensația',
  // Letters of a GDPR request (the postal register prefixes their kind with gdpr_).
  gdpr_acknowledgement: 'Cerere GDPR: confirmarea primirii',
  gdpr_extension_notice: 'Cerere GDPR: prelungirea termenului',
  gdpr_answer: 'Cerere GDPR: răspuns',
};

const ACTIVITY_TYPE: Record<string, string> = {
  startEvent: 'Început',
  noneEndEvent: 'Sfârșit',
  endEvent: 'Sfârșit',
  userTask: 'Sarcină',
  serviceTask: 'Activitate automată',
  sendTask: 'Trimitere',
  boundaryTimer: 'Termen',
  intermediateTimer: 'Așteptare',
  callActivity: 'Subproces',
  subProcess: 'Subproces',
};

const ROLE: Record<string, string> = {
  agent: 'Agent call center',
  officer: 'Responsabil reclamații',
  supervisor: 'Șef serviciu',
  designer: 'Proiectant procese',
  admin: 'Administrator',
};

const pick = (table: Record<string, string>) => (code: string | null | undefined) =>
  code ? (table[code] ?? code) : '';

export const energyLabel = pick(ENERGY);
/** The server's own wording (the status page and the portal show the labels the API sends). */
export const statusLabel = pick(CASE_STATUS_LABELS);
export const channelLabel = pick(CHANNEL);
export const customerTypeLabel = pick(CUSTOMER_TYPE);
export const messageKindLabel = pick(MESSAGE_KIND);
export const documentKindLabel = pick(DOCUMENT_KIND);
export const activityTypeLabel = pick(ACTIVITY_TYPE);
export const roleLabel = pick(ROLE);

/** Job roles of a supply department, as the server names them. */
export const jobRoleLabel = pick(JOB_ROLES);

/** The outcomes of the triage form (the server's list, in its order), in Romanian. */
const TRIAGE_LABELS: Record<TriageOutcome, string> = {
  admissible: 'Admisibilă — se analizează',
  incomplete: 'Incompletă — se cer completări clientului',
  duplicate: 'Duplicat al unei reclamații existente',
  misdirected: 'Greșit îndreptată — nu este de competența furnizorului',
  anonymous: 'Anonimă',
  not_a_complaint:
    'Nu este o reclamație (cerere de informații, transmitere de index) — se clasează cu un răspuns scurt',
  withdrawn: 'Retrasă de client — se clasează',
};
export const TRIAGE_OUTCOMES = TRIAGE_OUTCOME_CODES.map((value) => ({ value, label: TRIAGE_LABELS[value] }));

/** The next checks a verification task can branch to (its `branches` BPMN property). */
const BRANCH: Record<string, string> = {
  pret: 'Prețul aplicat',
  index: 'Indexul și consumul facturat',
  autocitire: 'Autocitirea',
  gaze: 'Particularitățile facturării gazelor naturale',
  prosumator: 'Facturarea prosumatorului',
  compensatii_od: 'Compensațiile datorate de operatorul de distribuție',
  contract: 'Contractul',
  oferta_pret: 'Oferta de preț',
  serviciu_universal: 'Serviciul universal',
  informare: 'Informarea clientului',
  verificare_contor: 'Verificarea contorului',
  pv_consum_neinregistrat: 'Procesul-verbal de consum neînregistrat',
  intrerupere: 'Întreruperea alimentării',
  calitate: 'Calitatea energiei',
  receptoare: 'Receptoarele deteriorate',
  deconectare_neplata: 'Deconectarea pentru neplată',
};

export const branchLabel = pick(BRANCH);
