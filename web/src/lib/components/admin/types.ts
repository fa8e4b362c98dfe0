/** The admin APIs' answers (tenant-settings, deadline-rules, non-working-days, org-chart). */
export type CountingReading = 'civil_code' | 'free_days';

export interface TenantSettings {
  letterhead: string;
  operatorEmail: string | null;
  compensationBaseLei: number;
  compensationPerDayLei: number;
  warnWorkingDaysBefore: number;
  countingReading: CountingReading;
}

export interface DeadlineRule {
  category: string;
  label: string;
  days: number;
  unit: 'working' | 'calendar';
  extensionDays: number;
  extensionAllowed: boolean;
  legalBasis: string;
}

export interface NonWorkingDay {
  day: string;
  reason: string;
}

export interface OrgChart {
  departments: Array<{
    id: string;
    name: string;
    jobRoles: Array<{
      code: string;
      name: string;
      holders: Array<{ userId: string; name: string; email: string; active: boolean }>;
    }>;
  }>;
  staff: Array<{
    id: string;
    name: string;
    email: string;
    roles: string[];
    active: boolean;
    jobRoles: string[];
  }>;
}

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
