import {
  parseSearchDate,
  ParseError,
  parseSeqSet,
  resolveSeqSet,
  inSeqSet,
  astring,
  isAtom,
  type SeqSet,
  type Token,
} from './imap-parser.ts';
import { headerEnd, headerValue, parseHeaders } from './message-structure.ts';
import { normalizeFlag, type MessageMeta } from './mail-store.ts';

/**
 * SEARCH criteria (RFC 3501 6.4.4): parsed once into a tree (unknown keys are BAD), then matched per message.
 * Only criteria on headers or text read the message file.
 */

type Node =
  | { k: 'all' }
  | { k: 'none' }
  | { k: 'flag'; flag: string; has: boolean }
  | { k: 'seq'; set: SeqSet }
  | { k: 'uid'; set: SeqSet }
  | { k: 'not'; a: Node }
  | { k: 'or'; a: Node; b: Node }
  | { k: 'and'; list: Node[] }
  | { k: 'date'; sent: boolean; op: 'before' | 'on' | 'since'; day: number }
  | { k: 'size'; larger: boolean; n: number }
  | { k: 'header'; name: string; value: string }
  | { k: 'text'; value: string; bodyOnly: boolean };

export interface SearchQuery {
  root: Node;
  needsContent: boolean;
}

const FLAG_KEYS: Record<string, [string, boolean]> = {
  ANSWERED: ['\\Answered', true],
  DELETED: ['\\Deleted', true],
  DRAFT: ['\\Draft', true],
  FLAGGED: ['\\Flagged', true],
  SEEN: ['\\Seen', true],
  UNANSWERED: ['\\Answered', false],
  UNDELETED: ['\\Deleted', false],
  UNDRAFT: ['\\Draft', false],
  UNFLAGGED: ['\\Flagged', false],
  UNSEEN: ['\\Seen', false],
};

function parseKeys(tokens: Token[], pos: { i: number }, depth: number): Node {
  if (depth > 32) throw new ParseError('SEARCH criteria nested too deeply');
  const t = tokens[pos.i++];
  if (!t) throw new ParseError('Missing SEARCH criterion');
  if (t.t === 'list') {
    const inner = { i: 0 };
    const list: Node[] = [];
    while (inner.i < t.v.length) list.push(parseKeys(t.v, inner, depth + 1));
    if (!list.length) throw new ParseError('Empty SEARCH list');
    return { k: 'and', list };
  }
  if (t.t !== 'atom' || t.section) throw new ParseError('Bad SEARCH criterion');
  const key = t.v.toUpperCase();
  const arg = (what: string) => astring(tokens[pos.i++], `${what} for ${key}`);
  const flag = FLAG_KEYS[key];
  if (flag) return { k: 'flag', flag: flag[0], has: flag[1] };
  switch (key) {
    case 'ALL':
    case 'OLD':
      return { k: 'all' };
    case 'NEW':
    case 'RECENT':
      return { k: 'none' }; // no message is \Recent here
    case 'KEYWORD':
    case 'UNKEYWORD': {
      const f = normalizeFlag(arg('a keyword'));
      return { k: 'flag', flag: f ?? '', has: key === 'KEYWORD' };
    }
    case 'NOT':
      return { k: 'not', a: parseKeys(tokens, pos, depth + 1) };
    case 'OR': {
      const a = parseKeys(tokens, pos, depth + 1);
      return { k: 'or', a, b: parseKeys(tokens, pos, depth + 1) };
    }
    case 'UID':
      return { k: 'uid', set: parseSeqSet(tokens[pos.i++]) };
    case 'BEFORE':
    case 'ON':
    case 'SINCE':
    case 'SENTBEFORE':
    case 'SENTON':
    case 'SENTSINCE': {
      const day = parseSearchDate(arg('a date'));
      if (Number.isNaN(day)) throw new ParseError(`Bad date for ${key}, expected e.g. 1-Feb-2026`);
      const sent = key.startsWith('SENT');
      const op = (sent ? key.slice(4) : key).toLowerCase() as 'before' | 'on' | 'since';
      return { k: 'date', sent, op, day };
    }
    case 'LARGER':
    case 'SMALLER': {
      const n = Number(arg('a size'));
      if (!Number.isFinite(n)) throw new ParseError(`Bad number for ${key}`);
      return { k: 'size', larger: key === 'LARGER', n };
    }
    case 'FROM':
    case 'TO':
    case 'CC':
    case 'BCC':
    case 'SUBJECT':
      return { k: 'header', name: key.toLowerCase(), value: arg('a string') };
    case 'HEADER': {
      const name = arg('a header name').toLowerCase();
      return { k: 'header', name, value: arg('a string') };
    }
    case 'BODY':
    case 'TEXT':
      return { k: 'text', value: arg('a string'), bodyOnly: key === 'BODY' };
  }
  // A bare sequence set is a criterion too.
  const c = key.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 42) return { k: 'seq', set: parseSeqSet(t) };
  throw new ParseError(`Unknown SEARCH criterion ${key.slice(0, 40)}`);
}

function needs(n: Node): boolean {
  switch (n.k) {
    case 'header':
    case 'text':
      return true;
    case 'date':
      return n.sent;
    case 'not':
      return needs(n.a);
    case 'or':
      return needs(n.a) || needs(n.b);
    case 'and':
      return n.list.some(needs);
    default:
      return false;
  }
}

/** Parses the arguments of SEARCH; a leading CHARSET must be UTF-8 or US-ASCII (else BADCHARSET). */
export function parseSearch(args: Token[]): SearchQuery | { badCharset: true } {
  let tokens = args;
  if (isAtom(tokens[0], 'CHARSET')) {
    const cs = astring(tokens[1], 'a charset').toUpperCase();
    if (cs !== 'UTF-8' && cs !== 'US-ASCII') return { badCharset: true };
    tokens = tokens.slice(2);
  }
  const pos = { i: 0 };
  const list: Node[] = [];
  while (pos.i < tokens.length) list.push(parseKeys(tokens, pos, 0));
  if (!list.length) throw new ParseError('SEARCH needs criteria');
  const root: Node = list.length === 1 ? list[0]! : { k: 'and', list };
  return { root, needsContent: needs(root) };
}

// ---- matching ----

/** RFC 2047 encoded words decoded (for matching only), scanned with indexOf. */
export function decodeWords(s: string): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const start = s.indexOf('=?', pos);
    if (start < 0) break;
    const q1 = s.indexOf('?', start + 2);
    const q2 = q1 < 0 ? -1 : s.indexOf('?', q1 + 1);
    const end = q2 < 0 ? -1 : s.indexOf('?=', q2 + 1);
    if (q1 < 0 || q2 !== q1 + 2 || end < 0) {
      out += s.slice(pos, start + 2);
      pos = start + 2;
      continue;
    }
    const between = s.slice(pos, start);
    // White space between two encoded words is not part of the text.
    if (!(out && between.trim() === '' && pos > 0)) out += between;
    const charset = s.slice(start + 2, q1).split('*')[0]!;
    const enc = s[q1 + 1]!.toUpperCase();
    const text = s.slice(q2 + 1, end);
    let bytes: Buffer;
    if (enc === 'B') bytes = Buffer.from(text, 'base64');
    else {
      const arr: number[] = [];
      for (let i = 0; i < text.length; i++) {
        const ch = text[i]!;
        if (ch === '_') arr.push(32);
        else if (ch === '=' && i + 2 < text.length + 1) {
          const v = parseInt(text.slice(i + 1, i + 3), 16);
          if (Number.isNaN(v)) arr.push(61);
          else {
            arr.push(v);
            i += 2;
          }
        } else arr.push(ch.charCodeAt(0) & 0xff);
      }
      bytes = Buffer.from(arr);
    }
    try {
      out += new TextDecoder(charset).decode(bytes);
    } catch {
      out += bytes.toString('latin1');
    }
    pos = end + 2;
  }
  return out + s.slice(pos);
}

export interface SearchTarget {
  meta: MessageMeta;
  seq: number;
  /** The message bytes, when the query needs them. */
  content?: Buffer;
}

const DAY = 86_400_000;

function dayOf(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

function compareDay(day: number, op: 'before' | 'on' | 'since', ref: number): boolean {
  return op === 'before' ? day < ref : op === 'on' ? day === ref : day >= ref;
}

export function matches(n: Node, m: SearchTarget, maxSeq: number, maxUid: number): boolean {
  switch (n.k) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'flag':
      return m.meta.flags.has(n.flag) === n.has;
    case 'seq':
      return inSeqSet(resolveSeqSet(n.set, maxSeq), m.seq);
    case 'uid':
      return inSeqSet(resolveSeqSet(n.set, maxUid), m.meta.uid);
    case 'not':
      return !matches(n.a, m, maxSeq, maxUid);
    case 'or':
      return matches(n.a, m, maxSeq, maxUid) || matches(n.b, m, maxSeq, maxUid);
    case 'and':
      return n.list.every((x) => matches(x, m, maxSeq, maxUid));
    case 'size':
      return n.larger ? m.meta.size > n.n : m.meta.size < n.n;
    case 'date': {
      if (!n.sent) return compareDay(dayOf(m.meta.internalDate), n.op, n.day);
      const buf = m.content!;
      const date = headerValue(parseHeaders(buf, 0, headerEnd(buf, 0, buf.length)), 'date');
      const ms = date ? Date.parse(date) : NaN;
      return !Number.isNaN(ms) && compareDay(dayOf(ms), n.op, n.day);
    }
    case 'header': {
      const buf = m.content!;
      const needle = n.value.toLowerCase();
      for (const h of parseHeaders(buf, 0, headerEnd(buf, 0, buf.length))) {
        if (h.key !== n.name) continue;
        if (!needle) return true;
        const value = decodeWords(Buffer.from(h.value, 'latin1').toString('utf8'));
        if (value.toLowerCase().includes(needle)) return true;
      }
      return false;
    }
    case 'text': {
      const buf = m.content!;
      const from = n.bodyOnly ? headerEnd(buf, 0, buf.length) : 0;
      const text = buf.subarray(from).toString('utf8').toLowerCase();
      if (text.includes(n.value.toLowerCase())) return true;
      return !n.bodyOnly && decodeWords(text).toLowerCase().includes(n.value.toLowerCase());
    }
  }
}
