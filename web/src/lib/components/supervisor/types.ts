/** The supervision API's answers (server/routes/api/supervision), named from the generated contract. */
import type * as Api from '$lib/api/generated';

export type OpenTask = OpenCase['progress']['openTasks'][number];

export type OpenCase = Api.GetApiSupervisionCasesResponse['items'][number];
export type Risk = OpenCase['risk'];

export const RISK_LABELS: Record<Risk, string> = {
  late: 'Termen depășit',
  at_risk: 'La risc',
  on_time: 'În termen',
};
