import type * as Api from '$lib/api/generated';
import type { Customer } from '$lib/api/types';
export { evidenceLabel } from '$codes/evidence-codes';

/** GET /api/identification/:number */
export type Identification = Api.GetApiIdentificationByNumberResponse;

export type Candidate = Identification['candidates'][number];

/** The customer search of the picker (`?q=` of the task page, or the browser's own fetch with JavaScript). */
export interface PickerSearch {
  q: string;
  found: Customer[] | null;
  error: string;
}

/** What the task page's load gives the picker. */
export interface PickerData {
  identification: Identification | null;
  loadError: string;
  search: PickerSearch;
}
