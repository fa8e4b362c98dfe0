import { error } from '@sveltejs/kit';
import { NO_CONNECTION, settle, type ApiResult, type SdkCall } from '$lib/api/result';
import type { RelayedForm } from './form-relay';

/**
 * Sends a relayed form to the API. When the API does not take it, the rest of the browser's body is read first,
 * and a body past the page's limit is answered 413 (as a page that read the form whole would have been), whatever
 * the API said about the part it read.
 */
export async function sendRelayed<T>(form: RelayedForm, call: SdkCall<T>): Promise<ApiResult<T>> {
  const r = await settle(call).catch((): ApiResult<T> => ({ ok: false, status: 0, data: NO_CONNECTION }));
  if (!r.ok && (await form.stop()) === 413) error(413, 'Fișierele depășesc împreună 25 MB.');
  return r;
}
