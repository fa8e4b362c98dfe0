import type { DbOrTx } from '../db/client.ts';
import type { Customer, Place } from '../db/schema/index.ts';
import { addressWords, codeKey, extractEvidence, fold, phoneKey, wordCoverage, wordsOf } from './evidence.ts';
import {
  anonymiseCandidatesOfCase,
  customersByCodes,
  customersByContact,
  customersByIds,
  placesByCodes,
  insertCandidates,
  placesOfCustomers,
} from './identification.repo.ts';

export type EvidenceKind =
  | 'place_code'
  | 'customer_code'
  | 'contract_number'
  | 'meter_serial'
  | 'email'
  | 'phone'
  | 'name'
  | 'address';

/** How much one piece of evidence says on its own (0..1). The first three are certain when unambiguous. */
export const EVIDENCE_WEIGHT: Record<EvidenceKind, number> = {
  place_code: 0.99,
  customer_code: 0.99,
  contract_number: 0.97,
  meter_serial: 0.8,
  email: 0.6,
  phone: 0.6,
  address: 0.45,
  name: 0.35,
};
const CERTAIN_KINDS = new Set<EvidenceKind>(['place_code', 'customer_code', 'contract_number']);

export interface Candidate {
  customerId: string;
  placeId: string | null;
  customerName: string;
  score: number;
  certain: boolean;
  evidence: Array<{ kind: EvidenceKind; value: string; weight: number }>;
}

export interface Identification {
  /** Best first. */
  candidates: Candidate[];
  /** The one candidate the message names by a code of this tenant, when no other code points elsewhere. */
  match: Candidate | null;
}

interface Acc {
  customer: Customer;
  places: Set<string>;
  evidence: Map<string, { kind: EvidenceKind; value: string; weight: number }>;
}

/**
 * Finds who a message is from, within one tenant only: codes written in it (POD/CLC, customer code, contract,
 * meter), the sender's e-mail and phone numbers, the written name and address (tolerant to diacritics and typos).
 * Only a code of this tenant makes a match certain; names alone never decide between namesakes.
 */
export async function identifySender(
  db: DbOrTx,
  tenantId: string,
  m: { fromAddress?: string | null; fromName?: string | null; subject: string; text: string },
): Promise<Identification> {
  const ev = extractEvidence(m);
  const acc = new Map<string, Acc>();
  const add = (c: Customer, kind: EvidenceKind, value: string, placeId?: string) => {
    let a = acc.get(c.id);
    if (!a) acc.set(c.id, (a = { customer: c, places: new Set(), evidence: new Map() }));
    if (placeId) a.places.add(placeId);
    a.evidence.set(`${kind}:${value}`, { kind, value, weight: EVIDENCE_WEIGHT[kind] });
  };

  const codeSet = new Set(ev.codes.map(codeKey));
  const [placeHits, customerHits, contactHits] = await Promise.all([
    placesByCodes(db, tenantId, [...codeSet]),
    customersByCodes(db, tenantId, [...codeSet]),
    customersByContact(db, tenantId, {
      emails: ev.emails,
      phones: ev.phones,
      namePrefixes: [...new Set(ev.nameWords.filter((w) => w.length >= 3).map((w) => w.slice(0, 3)))],
    }),
  ]);
  const owners = await customersByIds(db, tenantId, [...new Set(placeHits.map((p) => p.customerId))]);
  const byId = new Map([...owners, ...customerHits, ...contactHits].map((c) => [c.id, c]));

  for (const p of placeHits) {
    const owner = byId.get(p.customerId);
    if (!owner) continue;
    if (codeSet.has(codeKey(p.placeCode))) add(owner, 'place_code', p.placeCode, p.id);
    if (p.contractNumber && codeSet.has(codeKey(p.contractNumber)))
      add(owner, 'contract_number', p.contractNumber, p.id);
    if (p.meterSerial && codeSet.has(codeKey(p.meterSerial))) add(owner, 'meter_serial', p.meterSerial, p.id);
  }
  for (const c of customerHits) add(c, 'customer_code', c.customerCode);
  for (const c of contactHits) {
    if (c.email && ev.emails.includes(c.email.toLowerCase())) add(c, 'email', c.email.toLowerCase());
    if (c.phone && ev.phones.includes(phoneKey(c.phone))) add(c, 'phone', phoneKey(c.phone));
  }
  // The written name: the sender's display name, else the customer's name appearing in the text.
  for (const c of byId.values()) {
    const nameWords = wordsOf(c.name);
    const written = ev.nameWords.length ? ev.nameWords : ev.words;
    if (nameWords.length && wordCoverage(nameWords, written) === 1) add(c, 'name', c.name);
  }

  // Addresses of the customers and their places, found in the text.
  const customerIds = [...acc.keys()];
  const placeRows = await placesOfCustomers(db, tenantId, customerIds);
  const placesByCustomer = new Map<string, Place[]>();
  for (const p of placeRows)
    placesByCustomer.set(p.customerId, [...(placesByCustomer.get(p.customerId) ?? []), p]);
  for (const a of acc.values()) {
    for (const p of placesByCustomer.get(a.customer.id) ?? []) {
      const words = addressWords(p.address);
      if (words.length >= 2 && wordCoverage(words, ev.words) >= 0.75)
        add(a.customer, 'address', fold(p.address), p.id);
    }
  }

  const candidates: Candidate[] = [...acc.values()].map((a) => {
    const evidence = [...a.evidence.values()];
    const own = placesByCustomer.get(a.customer.id) ?? [];
    const placeId =
      a.places.size === 1 ? [...a.places][0]! : a.places.size === 0 && own.length === 1 ? own[0]!.id : null;
    const score = 1 - evidence.reduce((p, e) => p * (1 - e.weight), 1);
    return {
      customerId: a.customer.id,
      placeId,
      customerName: a.customer.name,
      score: Math.round(score * 1000) / 1000,
      certain: evidence.some((e) => CERTAIN_KINDS.has(e.kind)),
      evidence,
    };
  });
  candidates.sort((x, y) => y.score - x.score || x.customerName.localeCompare(y.customerName));
  const certain = candidates.filter((c) => c.certain);
  return { candidates: candidates.slice(0, 20), match: certain.length === 1 ? certain[0]! : null };
}

/** Stores the scored candidates of a case (the officer picks from them in the identify task). */
export function recordCandidates(db: DbOrTx, rows: Parameters<typeof insertCandidates>[1]): Promise<void> {
  return insertCandidates(db, rows);
}

/** Removes what identified the person in a case's candidates (retention, erasure), in the caller's transaction. */
export function anonymiseIdentificationOfCase(db: DbOrTx, tenantId: string, caseId: string): Promise<void> {
  return anonymiseCandidatesOfCase(db, tenantId, caseId);
}
