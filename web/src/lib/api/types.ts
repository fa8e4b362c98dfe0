/**
 * Short names for the HTTP API's shapes that several pages and components share. Every one is taken from the
 * OpenAPI spec of server/routes/api (web/src/lib/api/generated, written by `npm run gen:api`, checked by lint),
 * so a route's schema and the pages cannot drift apart; this file only names them (no logic, no shape of its
 * own). A page's own load and actions need none of it: the SDK functions carry their types.
 */
import type * as Api from './generated';

/** Every 4xx/5xx answer: a stable code and a Romanian message meant for people (the API's shared error schema). */
export type ApiError = Api.Def0;

/** The five permission roles of a staff account (an admin grants them). */
export type PermissionRole = Api.GetApiUsersResponse['items'][number]['roles'][number];

/** The case codes are the server's own lists (server/codes, no server code in it). */
export { complaintCategories as COMPLAINT_CATEGORIES } from '$codes/case-codes';
export type { ComplaintCategory } from '$codes/case-codes';

// --- /api/auth -------------------------------------------------------------------------------------------------

export type Me = Api.GetApiAuthMeResponse;

// --- /api/customers --------------------------------------------------------------------------------------------

export type CustomerList = Api.GetApiCustomersResponse;
export type Customer = CustomerList['items'][number];

// --- /api/complaints -------------------------------------------------------------------------------------------

export type CaseDetail = Api.GetApiComplaintsByNumberResponse;
export type CaseMessage = CaseDetail['messages'][number];
/** Documents we issued (PDF), downloadable at /api/complaints/:number/documents/:id. */
export type CaseDocument = NonNullable<CaseDetail['documents']>[number];
/** The earlier case a case contests, and the later ones contesting it. */
export type CaseLinks = Api.GetApiComplaintsByNumberLinksResponse;

// --- /api/tasks ------------------------------------------------------------------------------------------------

type TaskQuery = Api.GetApiTasksData['query'];
export type TaskSummary = Api.GetApiTasksResponse['items'][number];
export type InboxScope = NonNullable<TaskQuery['view']>;
export type DueFilter = NonNullable<TaskQuery['due']>;
export type SavedFilter = Api.GetApiTasksSavedFiltersResponse[number];
export type Delegate = Api.GetApiTasksByIdDelegatesResponse[number];
export type TaskComment = Api.GetApiTasksByIdCommentsResponse[number];
export type TimelineEntry = Api.GetApiTasksByIdTimelineResponse[number];
export type ReceivedMessage = Api.GetApiTasksByIdReceivedResponse[number];
export type TaskDetail = Api.GetApiTasksByIdResponse;
export type WorkInstruction = NonNullable<TaskDetail['instruction']>;
export type CompleteTaskBody = Api.PostApiTasksByIdCompleteData['body'];

// --- /api/postal-dispatches, /api/mailbox ----------------------------------------------------------------------

export type PostalDispatchUpdate = NonNullable<Api.PatchApiPostalDispatchesByIdData['body']>;
export type MailboxSettingsBody = Api.PutApiMailboxData['body'];
