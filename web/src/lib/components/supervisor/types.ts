/** The supervision API's answers (server/routes/api/supervision), as the supervisor pages use them. */
export type Risk = 'late' | 'at_risk' | 'on_time';

export interface OpenTask {
  id: string;
  name: string;
  instructionId: string | null;
  assignee: { id: string; name: string | null } | null;
  candidateGroups: string[];
}

export interface OpenCase {
  number: string;
  status: string;
  category: string;
  channel: string;
  subject: string;
  contactName: string;
  registeredOn: string;
  dueDate: string;
  extended: boolean;
  risk: Risk;
  timeLeft: { workingDays: number; calendarDays: number };
  progress: { completedTasks: number; openTasks: OpenTask[]; steps: { total: number; done: number } };
}

export interface OpenCaseList {
  today: string;
  warnWorkingDaysBefore: number;
  counts: { open: number; late: number; atRisk: number };
  items: OpenCase[];
  total: number;
  page: number;
  pageSize: number;
}

export interface OfficerLoad {
  userId: string;
  name: string;
  jobRoles: string[];
  open: number;
  overdue: number;
  atRisk: number;
}

export interface RoleLoad {
  code: string;
  name: string;
  holders: number;
  unassigned: number;
  open: number;
  overdue: number;
  atRisk: number;
}

export interface Workload {
  officers: OfficerLoad[];
  roles: RoleLoad[];
}

export interface Incident {
  id: string;
  type: string;
  at: string;
  activityId: string | null;
  message: string | null;
  details: string | null;
  caseNumber: string | null;
}

export interface Stats {
  from: string;
  to: string;
  total: number;
  byCategory: Array<{ key: string; count: number }>;
  byChannel: Array<{ key: string; count: number }>;
}

export const CHANNEL_LABELS: Record<string, string> = {
  call_center: 'Call center',
  email: 'E-mail',
  portal: 'Portal',
};

export const RISK_LABELS: Record<Risk, string> = {
  late: 'Termen depășit',
  at_risk: 'La risc',
  on_time: 'În termen',
};

/** GET /api/complaints/{number}/progress */
export interface CaseProgress {
  number: string;
  status: string;
  dueDate: string;
  dueAt: string;
  timeLeft: { workingDays: number; calendarDays: number; hours: number; overdue: boolean };
  openTasks: Array<{
    id: string;
    name: string;
    instructionId: string | null;
    candidateGroups: string[];
    assignee: { id: string; name: string | null } | null;
    holders: Array<{ id: string; name: string }>;
    due: string | null;
    steps: { total: number; done: number[] };
  }>;
  remainingTasks: Array<{ name: string; instructionId: string | null; candidateGroups: string[] }>;
  openSteps: { total: number; done: number };
}

/** GET /api/complaints/{number}/versions */
export interface CaseVersions {
  number: string;
  recorded: boolean;
  processHash: string | null;
  instructionsHash: string | null;
  processes: Record<string, { definitionId: string; version: number | null; hash: string }>;
  instructions: Record<string, string>;
  recordedAt: string;
}
