/** The supervision API's answers (server/routes/api/supervision), named from the generated contract. */
import type * as Api from '$lib/api/generated';

export type OpenTask = OpenCase['progress']['openTasks'][number];

export type OpenCase = OpenCaseList['items'][number];
export type Risk = OpenCase['risk'];

export type OpenCaseList = Api.GetApiSupervisionCasesResponse;

export type OfficerLoad = Workload['officers'][number];

export type RoleLoad = Workload['roles'][number];

export type Workload = Api.GetApiSupervisionWorkloadResponse;

export type Incident = Api.GetApiSupervisionIncidentsResponse[number];

export type Stats = Api.GetApiSupervisionStatsResponse;

export const RISK_LABELS: Record<Risk, string> = {
  late: 'Termen depășit',
  at_risk: 'La risc',
  on_time: 'În termen',
};

/** GET /api/complaints/{number}/progress */
export type CaseProgress = Api.GetApiComplaintsByNumberProgressResponse;

/** GET /api/complaints/{number}/versions */
export type CaseVersions = Api.GetApiComplaintsByNumberVersionsResponse;
