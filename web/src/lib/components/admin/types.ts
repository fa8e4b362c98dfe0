/** The admin APIs' answers (tenant-settings, deadline-rules, non-working-days, org-chart), named from the generated contract. */
import type * as Api from '$lib/api/generated';

export type TenantSettings = Api.GetApiTenantSettingsResponse;
export type CountingReading = TenantSettings['countingReading'];

export type DeadlineRule = Api.GetApiDeadlineRulesResponse['items'][number];

export const READING_LABELS: Record<CountingReading, { title: string; hint: string }> = {
  civil_code: {
    title: 'Codul civil (art. 2553)',
    hint: 'Ziua înregistrării nu se socotește; termenul se împlinește la sfârșitul ultimei zile. Citirea mai prudentă, implicită.',
  },
  free_days: {
    title: 'Zile libere',
    hint: 'Nu se socotesc nici ziua înregistrării, nici ziua în care termenul se împlinește: scadența este cu o zi (lucrătoare) mai târziu.',
  },
};

export type StaffUser = Api.GetApiUsersResponse['items'][number];
export type StaffLinkResult = Api.PostApiUsersResponse;
