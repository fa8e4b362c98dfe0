/**
 * The names the pages use for the HTTP API's requests and answers. Every shape comes from the OpenAPI spec of
 * server/routes/api (web/src/lib/api/generated, written by `npm run gen:api`, checked by lint), so a route's
 * schema and the pages cannot drift apart; this file only gives the shapes short names (no logic).
 */
import type * as Api from './generated';

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

/** The case codes are the server's own lists (server/codes, no server code in it). */
export { complaintCategories as COMPLAINT_CATEGORIES } from '$codes/case-codes';
export type { CaseStatus, Channel, ComplaintCategory } from '$codes/case-codes';
export type Energy = 'energie_electrica' | 'gaze_naturale';

// --- /api/auth -------------------------------------------------------------------------------------------------

export type LoginBody = Api.PostApiAuthLoginData['body'];
export type Me = Api.GetApiAuthMeResponse;
export type LoginResult = Api.PostApiAuthLoginResponse;

// --- /api/customers --------------------------------------------------------------------------------------------

export type CustomerList = Api.GetApiCustomersResponse;
export type Customer = CustomerList['items'][number];
export type Place = Customer['places'][number];

// --- /api/complaints -------------------------------------------------------------------------------------------

export type CreateComplaintBody = Api.PostApiComplaintsData['body'];
export type RegisteredComplaint = Api.PostApiComplaintsResponse;
export type DeadlineRule = RegisteredComplaint['deadlineRule'];
export type CaseList = Api.GetApiComplaintsResponse;
export type CaseSummary = CaseList['items'][number];
export type CaseDetail = Api.GetApiComplaintsByNumberResponse;
export type CaseEvent = CaseDetail['events'][number];
export type CaseMessage = CaseDetail['messages'][number];
export type CaseActivity = CaseDetail['activities'][number];
/** Documents we issued (PDF), downloadable at /api/complaints/:number/documents/:id. */
export type CaseDocument = NonNullable<CaseDetail['documents']>[number];
export type AnnulBody = Api.PostApiComplaintsByNumberAnnulmentData['body'];
export type AnnulResult = Api.PostApiComplaintsByNumberAnnulmentResponse;

// --- /api/tasks ------------------------------------------------------------------------------------------------

/** GET /api/tasks: one keyset page of a view from the task read model. */
export type TaskList = Api.GetApiTasksResponse;
export type TaskSummary = TaskList['items'][number];
export type InboxScope = NonNullable<NonNullable<Api.GetApiTasksData['query']>['view']>;
export type DeadlineState = NonNullable<TaskSummary['deadline']>;
export type DueFilter = 'overdue' | 'today' | 'week';
export type TaskForm =
  'findings' | 'answer' | 'approval' | 'triage' | 'verification' | 'note' | 'operatorRequest';
export type SavedFilter = Api.GetApiTasksSavedFiltersResponse[number];
export type Delegate = Api.GetApiTasksByIdDelegatesResponse[number];
export type TaskComment = Api.GetApiTasksByIdCommentsResponse[number];
export type TimelineEntry = Api.GetApiTasksByIdTimelineResponse[number];
export type ReceivedMessage = Api.GetApiTasksByIdReceivedResponse[number];
export type TaskDetail = Api.GetApiTasksByIdResponse;
export type WorkInstruction = NonNullable<TaskDetail['instruction']>;
export type CompleteTaskBody = Api.PostApiTasksByIdCompleteData['body'];
export type ClaimResult = Api.PostApiTasksByIdClaimResponse;
export type CompleteResult = Api.PostApiTasksByIdCompleteResponse;

// --- /api/status (public) --------------------------------------------------------------------------------------

export type PublicStatus = Api.GetApiStatusByNumberResponse;

// --- /api/deadlines --------------------------------------------------------------------------------------------

export type DeadlinePreview = Api.GetApiDeadlinesPreviewResponse;

// --- /api/postal-dispatches ------------------------------------------------------------------------------------

export type PostalDispatch = Api.GetApiPostalDispatchesResponse['items'][number];
export type PostalDispatchUpdate = NonNullable<Api.PatchApiPostalDispatchesByIdData['body']>;

// --- /api/mailbox ----------------------------------------------------------------------------------------------

export type MailboxSettings = Api.GetApiMailboxResponse;
export type MailboxSettingsBody = Api.PutApiMailboxData['body'];
export type MailboxCheck = Api.PostApiMailboxCheckResponse;
