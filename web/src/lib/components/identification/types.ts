import type * as Api from '$lib/api/generated';

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
