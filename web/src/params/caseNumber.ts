import type { ParamMatcher } from '@sveltejs/kit';

/** A registration number such as DEMO-2026-000001 (the API's CaseNumber pattern). */
export const match = ((param: string): boolean =>
  /^[A-Z0-9]{2,20}-\d{4}-\d{6}$/.test(param)) satisfies ParamMatcher;
