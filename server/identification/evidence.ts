/**
 * What a message says about who sent it, before any database lookup: codes, phone numbers, e-mail addresses and
 * the written name. Pure functions, so the rules are easy to test.
 */

/** Lower-case, diacritics removed (ă â î ș ț and the old cedilla ş ţ), whitespace collapsed. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Upper case without spaces: how codes are compared. */
export function codeKey(code: string): string {
  return code.replace(/\s+/g, '').toUpperCase();
}

/** Digits of a phone number in national form: +40 744 123 456, 0040744123456 and 0744-123-456 all give 0744123456. */
export function phoneKey(phone: string): string {
  let d = phone.replace(/\D/g, '');
  if (d.startsWith('0040')) d = d.slice(2);
  if (d.startsWith('40') && d.length === 11) d = `0${d.slice(2)}`;
  return d;
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Typos allowed in a word of this length. */
function tolerance(len: number): number {
  return len >= 7 ? 2 : len >= 4 ? 1 : 0;
}

export function wordsOf(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** Share of `reference` words found (allowing typos) among `written` words, 0..1. */
export function wordCoverage(reference: string[], written: string[]): number {
  if (!reference.length) return 0;
  const set = new Set(written);
  let hit = 0;
  for (const r of reference) {
    if (
      set.has(r) ||
      written.some((w) => Math.abs(w.length - r.length) <= 2 && levenshtein(w, r) <= tolerance(r.length))
    )
      hit++;
  }
  return hit / reference.length;
}

const ADDRESS_NOISE = new Set([
  'str',
  'strada',
  'nr',
  'bl',
  'bloc',
  'sc',
  'scara',
  'ap',
  'et',
  'jud',
  'judetul',
  'sector',
  'bd',
  'bulevardul',
  'calea',
  'aleea',
  'comuna',
  'sat',
  'oras',
  'municipiul',
  'cel',
  'de',
  'din',
  'la',
  'si',
]);

/** The distinctive words of an address (street, numbers, town), without "str.", "nr.", "ap." and the like. */
export function addressWords(address: string): string[] {
  return wordsOf(address).filter((w) => !ADDRESS_NOISE.has(w));
}

export interface WrittenEvidence {
  /** Code-like tokens (POD, CLC, customer code, contract or meter number), upper case, no spaces. */
  codes: string[];
  /** Phone numbers in national form. */
  phones: string[];
  /** E-mail addresses, lower case: the sender first. */
  emails: string[];
  /** Words of the sender's display name. */
  nameWords: string[];
  /** Every word of subject and text, folded. */
  words: string[];
}

const CODE_TOKEN = /[A-Z0-9](?:[A-Z0-9\-/]*[A-Z0-9])?/g;
const PHONE = /(?:\+|00)?\d[\d\s.\-()]{7,16}\d/g;
/** One whole token, at most 254 characters (RFC 5321), so the anchored pattern never sees a long run. */
const EMAIL_TOKEN = /^[a-z0-9._%+=-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/i;

/**
 * The e-mail addresses written in a text, lower case, in order. The text is cut into tokens at characters that
 * cannot be part of an address, and only a token holding `@` is checked: an unanchored pattern over the text
 * backtracked quadratically on a long run of letters without `@` (40 000 letters took 3 s).
 */
export function addressesIn(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/[\s<>()[\]"',;:]+/)) {
    if (!raw.includes('@')) continue;
    let token = raw;
    while (token.endsWith('.')) token = token.slice(0, -1);
    while (token.startsWith('.')) token = token.slice(1);
    if (token.length <= 254 && EMAIL_TOKEN.test(token)) out.push(token.toLowerCase());
  }
  return out;
}

export function extractEvidence(m: {
  fromAddress?: string | null;
  fromName?: string | null;
  subject: string;
  text: string;
}): WrittenEvidence {
  const all = `${m.subject}\n${m.text}`.slice(0, 200_000);
  const upper = all
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
  const tokens = upper.match(CODE_TOKEN) ?? [];
  const codes = new Set<string>();
  const isCode = (t: string) => t.length >= 5 && t.length <= 24 && (t.match(/\d/g)?.length ?? 0) >= 4;
  tokens.forEach((t, i) => {
    if (isCode(t)) codes.add(t);
    // "RO005E 512345678", "DEG 0456712": a code typed with a space in it.
    const next = tokens[i + 1];
    if (next && /^[A-Z0-9]+$/.test(t) && /^\d+$/.test(next) && isCode(t + next)) codes.add(t + next);
  });
  const phones = new Set<string>();
  for (const p of all.match(PHONE) ?? []) {
    const k = phoneKey(p);
    if (
      (k.length === 10 && k.startsWith('0')) ||
      (p.trim().startsWith('+') && k.length >= 10 && k.length <= 13)
    )
      phones.add(k);
  }
  const emails = new Set<string>();
  if (m.fromAddress) emails.add(m.fromAddress.toLowerCase());
  for (const e of addressesIn(all)) emails.add(e);
  return {
    codes: [...codes].slice(0, 200),
    phones: [...phones].slice(0, 20),
    emails: [...emails].slice(0, 20),
    nameWords: m.fromName ? wordsOf(m.fromName.slice(0, 200)).filter((w) => w.length >= 2) : [],
    words: wordsOf(all).slice(0, 20_000),
  };
}
