import type { ParamMatcher } from '@sveltejs/kit';

/** An engine task id (the API's TaskIdParams pattern). */
export const match = ((param: string): boolean => /^[\w-]{1,64}$/.test(param)) satisfies ParamMatcher;
