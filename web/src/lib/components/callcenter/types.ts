import type * as Api from '$lib/api/generated';

/** GET /api/call-center/earlier-cases */
export type EarlierCase = Api.GetApiCallCenterEarlierCasesResponse['items'][number];

/** GET /api/deadlines/preview */
export type DeadlinePreview = Api.GetApiDeadlinesPreviewResponse;
