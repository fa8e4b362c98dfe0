import type { ApiError } from './types';

/**
 * What a generated SDK call (web/src/lib/api/generated/sdk.gen.ts) comes back with, made into one shape the pages
 * branch on: `ok` says whether `data` is the answer or the API's `{ code, message }` (its Romanian message from the
 * server's error catalogue). Used on the server (web/src/lib/server/api.ts) and in the browser (./browser.ts).
 */
export type ApiResult<T> =
  { ok: true; status: number; data: T } | { ok: false; status: number; data: ApiError };

/** An SDK call's answer with the default `responseStyle: 'fields'` and `throwOnError: false`. */
export type SdkCall<T> = Promise<{ data?: T; error?: unknown; response?: Response }>;

const UNEXPECTED = 'Eroare neașteptată. Încercați din nou.';

/** The API's error body as `{ code, message }`, whatever it was (an HTML page from a proxy, nothing). */
export function asApiError(status: number, value: unknown): ApiError {
  const err = value && typeof value === 'object' ? (value as Partial<Record<keyof ApiError, unknown>>) : null;
  return {
    code: typeof err?.code === 'string' ? err.code : `HTTP_${status}`,
    message: typeof err?.message === 'string' ? err.message : UNEXPECTED,
  };
}

/** No answer at all (the browser is offline, the server is down): status 0, with a message of our own. */
export const NO_CONNECTION: ApiError = {
  code: 'NO_CONNECTION',
  message: 'Nu există conexiune cu serverul. Încercați din nou.',
};

/**
 * Waits for an SDK call and sorts its answer: a 2xx with its data; a 2xx whose body was not the JSON the
 * contract promised is a 502 (the client could not parse it); any other status carries the API's error.
 */
export async function settle<T>(call: SdkCall<T>): Promise<ApiResult<T>> {
  const { data, error, response } = await call;
  if (!response) return { ok: false, status: 0, data: NO_CONNECTION };
  if (error === undefined) return { ok: true, status: response.status, data: data as T };
  if (response.ok)
    return {
      ok: false,
      status: 502,
      data: { code: 'BAD_GATEWAY', message: 'Răspuns neașteptat de la server.' },
    };
  return { ok: false, status: response.status, data: asApiError(response.status, error) };
}
