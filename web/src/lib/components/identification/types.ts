/** GET /api/identification/:number */
export interface Identification {
  number: string;
  subject: string;
  contactName: string | null;
  contactEmail: string | null;
  contactPhone: string | null;
  current: {
    customerId: string;
    customerCode: string;
    name: string;
    placeId: string | null;
    placeCode: string | null;
  } | null;
  task: { id: string; assignee: string | null; assignedToMe: boolean } | null;
  candidates: Candidate[];
}

export interface Candidate {
  customerId: string;
  customerCode: string;
  name: string;
  address: string;
  placeId: string | null;
  placeCode: string | null;
  placeAddress: string | null;
  energy: string | null;
  score: number;
  certain: boolean;
  evidence: Array<{ kind: string; weight: number }>;
  confirmed: boolean;
}

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
