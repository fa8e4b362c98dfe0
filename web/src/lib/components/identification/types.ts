import type * as Api from '$lib/api/generated';
import type { Customer } from '$lib/api/types';

/** GET /api/identification/:number */
export type Identification = Api.GetApiIdentificationByNumberResponse;

export type Candidate = Identification['candidates'][number];

const EVIDENCE: Record<string, string> = {
  place_code: 'cod POD/CLC',
  customer_code: 'cod client',
  contract_number: 'număr de contract',
  meter_serial: 'serie contor',
  email: 'e-mail',
  phone: 'telefon',
  name: 'nume',
  address: 'adresă',
};

export function evidenceLabel(kind: string): string {
  return EVIDENCE[kind] ?? kind;
}

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
