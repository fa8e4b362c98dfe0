import type { ComplaintCategory } from '../../db/schema/index.ts';
import { fold } from '../../identification/index.ts';
import { MAX_SUBJECT_CHARS } from '../input-limits.ts';

const RULES: Array<[RegExp, ComplaintCategory]> = [
  // Bounded (`\w{0,12}`): `\w*` rescanned a run of repeated "schimb" to its end from every one of them (a 1 MB
  // subject of them took minutes).
  [/schimb\w{0,12} (de )?furnizor|trecere la alt furnizor/, 'schimbare_furnizor'],
  [/contor|index|citire|grup de masurare|masurare/, 'grup_masurare'],
  [/intrerupere|fara curent|fara gaz|nu am curent|avarie|deconectat|debransat/, 'continuitate_alimentare'],
  [/tensiune|fluctuat|presiune (scazuta|mica)/, 'calitate_energie'],
  [/pret|tarif|oferta/, 'oferte_preturi_tarife'],
  [/contract/, 'contractare'],
  [/factur|plata|sold|penalitat|restituire|compensare/, 'facturare'],
  [/reclamatia (anterioara|precedenta)|raspuns(ul)? (primit|anterior)/, 'solutionare_plangeri'],
];

/**
 * A first category for a complaint that arrived by e-mail (the officer corrects it during analysis): the first
 * rule whose words appear in the subject, then in the text; else "customer information".
 */
export function guessCategory(subject: string, text: string): ComplaintCategory {
  for (const source of [fold(subject.slice(0, MAX_SUBJECT_CHARS)), fold(text.slice(0, 5000))])
    for (const [re, category] of RULES) if (re.test(source)) return category;
  return 'informare_clienti';
}

/** Authorities whose referrals reach the complaint mailbox (their mail domains, subdomains included). */
const AUTHORITY_DOMAINS: Array<[string, string]> = [
  ['anre.ro', 'ANRE'],
  ['anpc.ro', 'ANPC'],
  ['anpc.gov.ro', 'ANPC'],
];

/**
 * An e-mail from an authority's domain is a referral: its source is the authority (the category still says what
 * it is about; its reference and deadline are added at triage). No regex: a plain comparison of the domain.
 */
export function authorityOf(
  address: string | null | undefined,
): { source: 'authority'; authorityName: string } | null {
  if (!address) return null;
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  for (const [d, name] of AUTHORITY_DOMAINS)
    if (domain === d || domain.endsWith(`.${d}`)) return { source: 'authority', authorityName: name };
  return null;
}
