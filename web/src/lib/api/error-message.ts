import type { ApiError } from '$lib/api/types';

/**
 * The UI's one error path: what to tell the person after a failed API call. The API's Romanian `message` is
 * shown for 4xx answers (they say what to fix) and for 503 (the process engine is temporarily away); no answer
 * at all (status 0, the browser offline) says so in our own words; anything else gets the caller's fallback, so
 * no internal detail reaches the page.
 */
export function errorMessage(result: { status: number; data: ApiError }, fallback: string): string {
  const { status, data } = result;
  if ((status >= 400 && status < 500) || status === 503 || status === 0) return data.message || fallback;
  return fallback;
}
