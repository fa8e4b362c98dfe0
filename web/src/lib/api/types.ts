/**
 * Response and request types of the HTTP API, written by hand from the TypeBox schemas in
 * server/routes/api/**. A client generated from the OpenAPI spec replaces this file later; until then, keep it
 * in step with the schemas (one file, no logic).
 */

/** Every 4xx/5xx answer: a stable code and a Romanian message meant for people. */
export interface ApiError {
  code: string;
  message: string;
}

/** YYYY-MM-DD, a calendar day in Europe/Bucharest. */
export type IsoDate = string;
/** An ISO 8601 instant. */
export type IsoDateTime = string;

export type PermissionRole = 'agent' | 'officer' | 'supervisor' | 'designer' | 'admin';

export const COMPLAINT_CATEGORIES = [
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
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

export type Channel = 'call_center' | 'email' | 'portal';
export type CaseStatus = 'registered' | 'in_progress' | 'answer_sent' | 'closed' | 'annulled';
export type Energy = 'energie_electrica' | 'gaze_naturale';

// --- /api/auth -------------------------------------------------------------------------------------------------

export interface LoginBody {
  email: string;
  password: string;
}

export interface Me {
  userId: string;
  email: string;
  name: string;
  tenantCode: string;
  roles: string[];
  jobRoles: string[];
}

export interface LoginResult {
  token: string;
  expiresAt: IsoDateTime;
  user: Me;
}

// --- /api/customers --------------------------------------------------------------------------------------------

export interface Place {
  id: string;
  placeCode: string;
  energy: string;
  address: string;
  contractNumber: string | null;
  meterSerial: string | null;
}

export interface Customer {
  id: string;
  customerCode: string;
  name: string;
  customerType: string;
  email: string | null;
  phone: string | null;
  address: string;
  places: Place[];
}

export interface CustomerList {
  items: Customer[];
}

// --- /api/complaints -------------------------------------------------------------------------------------------

export interface DeadlineRule {
  days: number;
  unit: 'working' | 'calendar';
  legalBasis: string;
}

export interface CreateComplaintBody {
  category: ComplaintCategory;
  subject: string;
  body: string;
  customerId?: string;
  placeId?: string;
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
}

export interface RegisteredComplaint {
  id: string;
  number: string;
  receivedAt: IsoDateTime;
  registeredOn: IsoDate;
  dueDate: IsoDate;
  /** Read it to the consumer: with the number it opens the public status page. */
  accessCode: string;
  /** False when the engine was unreachable; the start is retried. */
  processStarted: boolean;
  deadlineRule: DeadlineRule;
}

export interface CaseSummary {
  id: string;
  number: string;
  status: CaseStatus;
  channel: Channel;
  category: ComplaintCategory;
  subject: string;
  contactName: string;
  receivedAt: IsoDateTime;
  registeredOn: IsoDate;
  dueDate: IsoDate;
  customerCode: string | null;
  placeCode: string | null;
}

export interface CaseList {
  items: CaseSummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface CaseEvent {
  at: IsoDateTime;
  type: string;
  visibility: string;
  message: string;
}

export interface CaseMessage {
  direction: string;
  kind: string;
  toAddress: string | null;
  subject: string;
  sentAt: IsoDateTime;
}

export interface CaseActivity {
  activityId: string;
  name: string | null;
  type: string;
  assignee: string | null;
  startTime: string;
  endTime: string | null;
}

export interface CaseDetail {
  id: string;
  number: string;
  status: string;
  channel: string;
  category: string;
  subject: string;
  body: string;
  contactName: string;
  contactEmail: string | null;
  contactPhone: string | null;
  receivedAt: IsoDateTime;
  registeredOn: IsoDate;
  dueDate: IsoDate;
  deadlineRule: DeadlineRule;
  findings: string | null;
  answerText: string | null;
  answerSentAt: string | null;
  closedAt: string | null;
  annulledAt: string | null;
  annulReason: string | null;
  processStarted: boolean;
  accessCode: string;
  customer: { id: string; customerCode: string; name: string; customerType: string } | null;
  place: { id: string; placeCode: string; energy: string; address: string } | null;
  events: CaseEvent[];
  messages: CaseMessage[];
  activities: CaseActivity[];
  /** Documents we issued (PDF), downloadable at /api/complaints/:number/documents/:id. */
  documents?: CaseDocument[];
}

export interface CaseDocument {
  id: number;
  kind: string;
  fileName: string;
  contentType: string;
  sha256: string;
  size: number;
  createdAt: string;
}

export interface AnnulBody {
  reason: string;
}

export interface AnnulResult {
  number: string;
  status: 'annulled';
  annulledAt: IsoDateTime;
}

// --- /api/tasks ------------------------------------------------------------------------------------------------

export type InboxScope = 'mine' | 'groups' | 'all';
export type TaskForm =
  'findings' | 'answer' | 'approval' | 'triage' | 'verification' | 'note' | 'operatorRequest';

export type DueFilter = 'overdue' | 'today' | 'week';
export type DeadlineState = 'on_time' | 'at_risk' | 'late';

export interface TaskSummary {
  id: string;
  name: string;
  taskDefinitionKey: string;
  assignee: string | null;
  assigneeName: string | null;
  assignedToMe: boolean;
  candidateGroups: string[];
  created: string;
  due: string | null;
  deadline: DeadlineState | null;
  case: {
    number: string;
    subject: string;
    category: string;
    channel: string;
    status: string;
    dueDate: string;
    contactName: string;
    placeCode: string | null;
  } | null;
}

/** GET /api/tasks: one keyset page of a view from the task read model. */
export interface TaskList {
  items: TaskSummary[];
  nextCursor: string | null;
  counts: Partial<Record<InboxScope, number>>;
  /** A count above this reads "more than countCap". */
  countCap: number;
  view: InboxScope;
  today: string;
}

export interface SavedFilter {
  id: string;
  name: string;
  filters: Record<string, string>;
}

export interface Delegate {
  id: string;
  name: string;
  email: string;
}

export interface TaskComment {
  id: number;
  body: string;
  taskId: string | null;
  authorName: string;
  createdAt: string;
}

export interface TimelineEntry {
  at: string;
  source: 'engine' | 'task' | 'case' | 'audit';
  text: string;
}

export interface ReceivedMessage {
  id: string;
  arrivedAt: string;
  fromName: string | null;
  fromAddress: string | null;
  subject: string;
  text: string;
  kind: string;
  attachments: Array<{ id: number; filename: string; contentType: string; size: number }>;
}

export interface WorkInstruction {
  id: string;
  title: string;
  role: string;
  steps: string[];
  documents: string[];
  legalBasis: string[];
  /** Rendered from the instruction's Markdown on the server. */
  html: string;
}

export interface TaskDetail {
  id: string;
  name: string;
  assignee: string | null;
  assignedToMe: boolean;
  created: string;
  due: string | null;
  taskDefinitionKey?: string;
  candidateGroups: string[];
  form: string | null;
  /** Choices of a verification form (`branch`); absent from older servers. */
  branches?: string[];
  caseNumber: string | null;
  /** Indexes (0-based) of the instruction steps ticked as done. */
  stepsDone?: number[];
  draft: { findings: string | null; answerText: string | null } | null;
  instruction: WorkInstruction | null;
}

export interface CompleteTaskBody {
  findings?: string;
  answerText?: string;
  approved?: boolean;
  comment?: string;
  /** triage: admissible, incomplete, duplicate, misdirected, anonymous */
  outcome?: string;
  /** verification: the next check, one of the task's `branches` */
  branch?: string;
  needsOperator?: boolean;
  needsCorrection?: boolean;
  /** operatorRequest: the questions to the distribution operator */
  questions?: string;
}

export interface ClaimResult {
  id: string;
  assignee: string | null;
}

export interface CompleteResult {
  id: string;
  completed: boolean;
}

// --- /api/status (public) --------------------------------------------------------------------------------------

export interface PublicStatus {
  number: string;
  supplier: string;
  status: string;
  statusLabel: string;
  category: string;
  subject: string;
  receivedAt: string;
  registeredOn: IsoDate;
  dueDate: IsoDate;
  answerSentAt: string | null;
  timeline: Array<{ at: string; type: string; message: string }>;
}

// --- /api/deadlines --------------------------------------------------------------------------------------------

export interface DeadlinePreview {
  category: string;
  receivedAt: string;
  registeredOn: IsoDate;
  dueDate: IsoDate;
  rule: { days: number; unit: string; legalBasis: string };
}
