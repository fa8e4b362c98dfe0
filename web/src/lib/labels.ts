/** Romanian labels for the codes the API returns. Unknown codes fall through unchanged. */

const ENERGY: Record<string, string> = {
  energie_electrica: 'Energie electrică',
  gaze_naturale: 'Gaze naturale',
};

/** Same wording as STATUS_LABELS in server/cases/cases.service.ts (the public status page uses the server's). */
const STATUS: Record<string, string> = {
  registered: 'Înregistrată',
  in_progress: 'În analiză',
  answer_sent: 'Răspuns transmis',
  closed: 'Soluționată',
  annulled: 'Anulată',
};

const CHANNEL: Record<string, string> = {
  call_center: 'Call center',
  email: 'E-mail',
  portal: 'Portal',
};

const CUSTOMER_TYPE: Record<string, string> = {
  casnic: 'Client casnic',
  noncasnic: 'Client noncasnic',
};

const MESSAGE_KIND: Record<string, string> = {
  acknowledgement: 'Confirmarea înregistrării',
  answer: 'Răspunsul la reclamație',
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
export const statusLabel = pick(STATUS);
export const channelLabel = pick(CHANNEL);
export const customerTypeLabel = pick(CUSTOMER_TYPE);
export const messageKindLabel = pick(MESSAGE_KIND);
export const activityTypeLabel = pick(ACTIVITY_TYPE);
export const roleLabel = pick(ROLE);

/** Job roles of a supply department: copied from JOB_ROLES in server/instructions/instructions.ts. */
const JOB_ROLE: Record<string, string> = {
  OCC: 'Operator call center',
  RRC: 'Referent relații clienți',
  REG: 'Registratură',
  RSP: 'Responsabil soluționare plângeri',
  SF: 'Specialist facturare',
  SM: 'Specialist date de măsurare și relația cu OD',
  SC: 'Specialist contractare',
  SSF: 'Specialist schimbare furnizor',
  SRC: 'Specialist recuperare creanțe',
  SP: 'Specialist prosumatori',
  FIN: 'Specialist financiar-contabil',
  CJ: 'Consilier juridic',
  DPO: 'Responsabil protecția datelor',
  SRR: 'Specialist raportări ANRE',
  SEF: 'Șef serviciu relații clienți',
};

export const jobRoleLabel = pick(JOB_ROLE);

/** The outcomes of the triage form (server/tasks/task-forms.ts TRIAGE_OUTCOMES), in Romanian. */
export const TRIAGE_OUTCOMES = [
  { value: 'admissible', label: 'Admisibilă — se analizează' },
  { value: 'incomplete', label: 'Incompletă — se cer completări clientului' },
  { value: 'duplicate', label: 'Duplicat al unei reclamații existente' },
  { value: 'misdirected', label: 'Greșit îndreptată — nu este de competența furnizorului' },
  { value: 'anonymous', label: 'Anonimă' },
] as const;

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
