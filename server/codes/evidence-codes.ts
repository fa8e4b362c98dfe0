/**
 * What identified a consumer, in words (the case history, the candidate picker): one list for the server and the
 * pages, so the history never shows `place_code` where the picker says „cod POD/CLC”.
 */
export const EVIDENCE_LABELS: Record<string, string> = {
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
  return EVIDENCE_LABELS[kind] ?? kind;
}
