import { errorMessage } from '$lib/api/error-message';
import { createClient, type Client } from './generated/client';
import { settle, type SdkCall } from './result';

/**
 * The generated SDK's client for calls the browser makes itself (a checklist tick, a search while typing, the
 * designer's lint and deploy): same origin, authenticated by the session cookie, which the API accepts from the
 * pages' own origin only. Pass it to an SDK function and read the answer with `settle` (./result.ts):
 *
 *   const r = await settle(getApiDeadlinesPreview({ client: browserClient(), query: { category } }));
 *
 * Made per call rather than kept in a module: this module is also loaded when a page renders on the server, where
 * a shared client would be shared by every visitor.
 */
export function browserClient(): Client {
  return createClient({ baseUrl: '', credentials: 'same-origin' });
}

/**
 * An SDK call from the browser, its answer as the data or the one message to show (the UI's error path,
 * errorMessage: the API's Romanian message for what the person can fix, else `fallback`).
 */
export async function askApi<T>(
  call: SdkCall<T>,
  fallback: string,
): Promise<{ ok: true; data: T } | { ok: false; message: string }> {
  const r = await settle(call);
  return r.ok ? { ok: true, data: r.data } : { ok: false, message: errorMessage(r, fallback) };
}
