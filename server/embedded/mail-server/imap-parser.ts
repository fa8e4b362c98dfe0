import type { CommandParts } from './imap-reader.ts';

/**
 * IMAP command tokenizer (RFC 3501 section 9): atoms, quoted strings, literals, parenthesised lists, and the
 * `BODY[section]<partial>` form of FETCH. A hand-written scanner over the line (no regular expressions on client
 * input); anything malformed throws ParseError, which the session answers with BAD.
 *
 * One file although past 300 lines: it is IMAP's syntax both ways, the command tokenizer and the few writers of
 * the same grammar (quoted strings and literals, sequence sets, dates) that must agree with what it reads.
 */

export type Token =
  | { t: 'atom'; v: string; section?: Token[]; partial?: [number, number | undefined] }
  | { t: 'string'; v: Buffer }
  | { t: 'list'; v: Token[] };

export class ParseError extends Error {}

const MAX_DEPTH = 16;

/** Characters that end an atom (besides controls): SP ( ) " [ ] { and, in a section, the closing bracket. */
function atomChar(c: number): boolean {
  // SP 0x20, " 0x22, ( 0x28, ) 0x29, [ 0x5b, ] 0x5d, { 0x7b; controls and DEL.
  return (
    c > 0x20 && c !== 0x7f && c !== 0x22 && c !== 0x28 && c !== 0x29 && c !== 0x5b && c !== 0x5d && c !== 0x7b
  );
}

class Cursor {
  private part = 0;
  pos = 0;
  constructor(private readonly parts: CommandParts) {}
  get text(): string {
    return this.parts[this.part] as string;
  }
  /** Char code at the cursor, -1 at the end of a text segment. */
  peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }
  /** The literal that follows the current text segment, when the cursor is at its end. */
  literal(): Buffer | null {
    if (this.pos < this.text.length) return null;
    const lit = this.parts[this.part + 1];
    if (!Buffer.isBuffer(lit)) return null;
    this.part += 2;
    this.pos = 0;
    return lit;
  }
  atEnd(): boolean {
    return this.pos >= this.text.length && this.part >= this.parts.length - 1;
  }
}

function parseQuoted(cur: Cursor): Token {
  const text = cur.text;
  let out = '';
  let i = cur.pos + 1;
  for (;;) {
    if (i >= text.length) throw new ParseError('Unterminated quoted string');
    const ch = text[i]!;
    if (ch === '"') break;
    if (ch === '\\') {
      const next = text[i + 1];
      if (next !== '"' && next !== '\\') throw new ParseError('Bad escape in quoted string');
      out += next;
      i += 2;
      continue;
    }
    if (ch === '\r' || ch === '\n' || ch === '\0') throw new ParseError('Control character in quoted string');
    out += ch;
    i++;
  }
  cur.pos = i + 1;
  return { t: 'string', v: Buffer.from(out, 'utf8') };
}

function readNumber(text: string, from: number): { value: number; end: number } {
  let i = from;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === from || i - from > 10) throw new ParseError('Bad number in partial fetch');
  const value = Number(text.slice(from, i));
  if (value > 0xffffffff) throw new ParseError('Number too large');
  return { value, end: i };
}

function parseAtom(cur: Cursor, depth: number, inSection: boolean): Token {
  const text = cur.text;
  const start = cur.pos;
  let i = start;
  while (i < text.length && atomChar(text.charCodeAt(i))) i++;
  if (i === start) {
    const ch = text[i];
    throw new ParseError(ch === undefined ? 'Unexpected end of command' : `Unexpected character "${ch}"`);
  }
  const token: Token = { t: 'atom', v: text.slice(start, i) };
  cur.pos = i;
  if (!inSection && text[i] === '[') {
    cur.pos = i + 1;
    token.section = parseSeq(cur, depth + 1, ']');
    const p = cur.pos;
    if (text[p] === '<') {
      const a = readNumber(text, p + 1);
      let len: number | undefined;
      let end = a.end;
      if (text[end] === '.') {
        const b = readNumber(text, end + 1);
        len = b.value;
        end = b.end;
      }
      if (text[end] !== '>') throw new ParseError('Bad partial specifier, expected <start.length>');
      token.partial = [a.value, len];
      cur.pos = end + 1;
    }
    if (cur.pos < text.length && atomChar(text.charCodeAt(cur.pos)))
      throw new ParseError('Unexpected characters after a section');
  }
  return token;
}

function parseToken(cur: Cursor, depth: number, inSection: boolean): Token {
  if (depth > MAX_DEPTH) throw new ParseError('Lists nested too deeply');
  const lit = cur.literal();
  if (lit) return { t: 'string', v: lit };
  const c = cur.peek();
  if (c === 0x28) {
    cur.pos++;
    return { t: 'list', v: parseSeq(cur, depth + 1, ')') };
  }
  if (c === 0x22) return parseQuoted(cur);
  return parseAtom(cur, depth, inSection);
}

/** Tokens separated by spaces until `close` (consumed) or, for the top level, the end of the command. */
function parseSeq(cur: Cursor, depth: number, close: ')' | ']' | null): Token[] {
  const out: Token[] = [];
  const closeCode = close ? close.charCodeAt(0) : -2;
  for (;;) {
    if (close === null && cur.atEnd()) return out;
    if (cur.peek() === closeCode) {
      cur.pos++;
      return out;
    }
    if (out.length) {
      if (cur.peek() !== 0x20) {
        if (cur.atEnd()) throw new ParseError(`Missing "${close}"`);
        throw new ParseError(`Expected a space, found "${cur.text[cur.pos] ?? 'end'}"`);
      }
      cur.pos++;
      if (close === null && cur.atEnd()) throw new ParseError('Trailing space');
    }
    if (close !== null && cur.atEnd()) throw new ParseError(`Missing "${close}"`);
    out.push(parseToken(cur, depth, close === ']'));
  }
}

export interface ParsedCommand {
  tag: string;
  /** Upper-cased, "UID FETCH" style for UID commands. */
  name: string;
  args: Token[];
}

/** Splits a command into tag, name and argument tokens. */
export function parseCommand(parts: CommandParts): ParsedCommand {
  const cur = new Cursor(parts);
  const tokens = parseSeq(cur, 0, null);
  const [tag, cmd, ...rest] = tokens;
  if (!tag || tag.t !== 'atom' || tag.section) throw new ParseError('Missing tag');
  if (!cmd || cmd.t !== 'atom' || cmd.section) throw new ParseError('Missing command');
  let name = cmd.v.toUpperCase();
  if (name === 'UID') {
    const sub = rest.shift();
    if (!sub || sub.t !== 'atom') throw new ParseError('UID needs a command');
    name = `UID ${sub.v.toUpperCase()}`;
  }
  return { tag: tag.v, name, args: rest };
}

// ---- argument helpers ----

export function isAtom(t: Token | undefined, value?: string): t is Extract<Token, { t: 'atom' }> {
  return !!t && t.t === 'atom' && !t.section && (value === undefined || t.v.toUpperCase() === value);
}

/** astring: an atom or a string, as text. */
export function astring(t: Token | undefined, what: string): string {
  if (t?.t === 'string') return t.v.toString('utf8');
  if (t?.t === 'atom' && !t.section) return t.v;
  throw new ParseError(`Expected ${what}`);
}

export function list(t: Token | undefined, what: string): Token[] {
  if (t?.t === 'list') return t.v;
  throw new ParseError(`Expected a parenthesised ${what}`);
}

export function number(t: Token | undefined, what: string): number {
  const s = t?.t === 'atom' && !t.section ? t.v : '';
  if (!s || s.length > 10) throw new ParseError(`Expected a number for ${what}`);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) throw new ParseError(`Expected a number for ${what}`);
  }
  const n = Number(s);
  if (n > 0xffffffff) throw new ParseError(`Number too large for ${what}`);
  return n;
}

// ---- sequence sets ----

/** A sequence or UID set: ranges with `Infinity` for "*" before it is resolved. */
export type SeqSet = Array<[number, number]>;

export function parseSeqSet(t: Token | undefined): SeqSet {
  const s = t?.t === 'atom' && !t.section ? t.v : '';
  if (!s) throw new ParseError('Expected a sequence set');
  const out: SeqSet = [];
  const num = (x: string): number => {
    if (x === '*') return Infinity;
    if (!x || x.length > 10) throw new ParseError(`Invalid sequence set "${s.slice(0, 40)}"`);
    for (let i = 0; i < x.length; i++) {
      const c = x.charCodeAt(i);
      if (c < 48 || c > 57) throw new ParseError(`Invalid sequence set "${s.slice(0, 40)}"`);
    }
    const n = Number(x);
    if (n === 0 || n > 0xffffffff) throw new ParseError('Sequence numbers and UIDs start at 1');
    return n;
  };
  for (const item of s.split(',')) {
    const colon = item.indexOf(':');
    if (colon < 0) {
      const n = num(item);
      out.push([n, n]);
    } else out.push([num(item.slice(0, colon)), num(item.slice(colon + 1))]);
  }
  return out;
}

/** Replaces "*" by `max` and orders each range (RFC 3501: 4:2 is 2:4). */
export function resolveSeqSet(set: SeqSet, max: number): SeqSet {
  return set.map(([a, b]) => {
    const x = a === Infinity ? max : a;
    const y = b === Infinity ? max : b;
    return x <= y ? [x, y] : [y, x];
  });
}

export function inSeqSet(set: SeqSet, n: number): boolean {
  for (const [a, b] of set) if (n >= a && n <= b) return true;
  return false;
}

/** Compact UID set text for COPYUID: 1:3,7,9:10 (order kept, consecutive runs joined). */
export function formatUidSet(uids: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < uids.length;) {
    let j = i;
    while (j + 1 < uids.length && uids[j + 1] === uids[j]! + 1) j++;
    out.push(j > i ? `${uids[i]}:${uids[j]}` : String(uids[i]));
    i = j + 1;
  }
  return out.join(',');
}

// ---- dates ----

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function digitsAt(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i);
    if (!(c >= 48 && c <= 57)) return NaN;
    v = v * 10 + (c - 48);
  }
  return v;
}

/** "1-Feb-1994" (SEARCH dates) as the UTC midnight of that day, ms; NaN if malformed. */
export function parseSearchDate(s: string): number {
  const parts = s.split('-');
  if (parts.length !== 3) return NaN;
  const [d, m, y] = parts as [string, string, string];
  const day = d.length >= 1 && d.length <= 2 ? digitsAt(d, 0, d.length) : NaN;
  const month = MONTHS.indexOf(m.toLowerCase());
  const year = y.length === 4 ? digitsAt(y, 0, 4) : NaN;
  if (!(day >= 1 && day <= 31) || month < 0 || !(year >= 1)) return NaN;
  return Date.UTC(year, month, day);
}

/** APPEND's date-time "17-Jul-1996 02:44:25 -0700" (the day may be space-padded); NaN if malformed. */
export function parseDateTime(s: string): number {
  const v = s.startsWith(' ') ? s.slice(1) : s;
  const sp = v.indexOf(' ');
  if (sp < 0) return NaN;
  const day = parseSearchDate(v.slice(0, sp));
  const rest = v.slice(sp + 1);
  if (rest.length !== 14 || rest[2] !== ':' || rest[5] !== ':' || rest[8] !== ' ') return NaN;
  const h = digitsAt(rest, 0, 2);
  const mi = digitsAt(rest, 3, 2);
  const se = digitsAt(rest, 6, 2);
  const sign = rest[9] === '-' ? -1 : rest[9] === '+' ? 1 : NaN;
  const zh = digitsAt(rest, 10, 2);
  const zm = digitsAt(rest, 12, 2);
  if (!(h <= 23 && mi <= 59 && se <= 60 && zh <= 23 && zm <= 59)) return NaN;
  return day + ((h * 60 + mi) * 60 + se) * 1000 - sign * (zh * 60 + zm) * 60_000;
}

/** INTERNALDATE as IMAP writes it, in UTC. */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const mon = MONTHS[d.getUTCMonth()]!;
  return `${p(d.getUTCDate())}-${mon[0]!.toUpperCase()}${mon.slice(1)}-${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(
    d.getUTCMinutes(),
  )}:${p(d.getUTCSeconds())} +0000`;
}

// ---- response formatting ----

/** A string as IMAP sends it: quoted when plain printable ASCII and short, else a literal (bytes kept). */
export function imapString(value: string | Buffer): Buffer {
  const buf = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  if (buf.length <= 1024) {
    let plain = true;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i]!;
      if (c < 0x20 || c > 0x7e) {
        plain = false;
        break;
      }
    }
    if (plain) {
      let s = buf.toString('latin1');
      if (s.includes('\\') || s.includes('"')) s = s.replaceAll('\\', '\\\\').replaceAll('"', '\\"');
      return Buffer.from(`"${s}"`, 'latin1');
    }
  }
  return Buffer.concat([Buffer.from(`{${buf.length}}\r\n`), buf]);
}

export function nstring(value: string | Buffer | null | undefined): Buffer {
  return value === null || value === undefined ? Buffer.from('NIL') : imapString(value);
}
