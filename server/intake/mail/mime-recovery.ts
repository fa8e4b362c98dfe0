/**
 * The words of a message whose MIME structure is broken (the declared boundary is not the delimiter used, the
 * closing delimiter is missing, a multipart without a boundary): a parser then sees no part at all, although the
 * bytes hold a readable complaint. Everything here walks the raw bytes line by line with indexOf and character
 * tests: no regular expression that could backtrack ever sees the untrusted text.
 *
 * One file although past 300 lines: it is one pass over one message (find the delimiters, cut the segments, decode
 * each, keep what reads as text), and its steps share the line walk; apart, they would only be called from here.
 */
import sanitizeHtml from 'sanitize-html';
import { flattenDeepNesting } from './html-nesting.ts';

/** How much of a body the recovery reads (a complaint's words come first; attachments follow). */
const MAX_RECOVERY_BYTES = 2 * 1024 * 1024;
/** Longest line that can be a delimiter (RFC 2046: a boundary has at most 70 characters). */
const MAX_DELIMITER_LENGTH = 200;

/** The value of one parameter of a structured header (`boundary`, `charset`), quoted or not; null if absent. */
export function headerParam(value: string, name: string): string | null {
  const lower = value.toLowerCase();
  const key = `${name.toLowerCase()}=`;
  let from = 0;
  for (;;) {
    const i = lower.indexOf(key, from);
    if (i < 0) return null;
    const before = i === 0 ? ';' : lower[i - 1]!;
    from = i + key.length;
    if (before !== ';' && before !== ' ' && before !== '\t') continue;
    let v = value.slice(from);
    if (v.startsWith('"')) {
      const end = v.indexOf('"', 1);
      v = end < 0 ? v.slice(1) : v.slice(1, end);
    } else {
      let end = v.length;
      for (let k = 0; k < v.length; k++)
        if (v[k] === ';' || v[k] === ' ' || v[k] === '\t' || v[k] === '\r' || v[k] === '\n') {
          end = k;
          break;
        }
      v = v.slice(0, end);
    }
    return v.trim() || null;
  }
}

/** Where the header block ends and the body starts (after the first empty line), or -1. */
function bodyStart(text: string): number {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return -1;
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
  return lf + 2;
}

function linesOf(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** `Name: value` with an RFC 5322 field name (letters, digits, hyphen). */
function isHeaderLine(line: string): boolean {
  const colon = line.indexOf(':');
  if (colon <= 0 || colon > 76) return false;
  for (let k = 0; k < colon; k++) {
    const c = line.charCodeAt(k);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45;
    if (!ok) return false;
  }
  return true;
}

/** A line that may delimit MIME parts: `--token` or the closing `--token--`, without blanks. */
function delimiterOf(line: string): { token: string; closing: boolean } | null {
  const l = line.trimEnd();
  if (l.length < 3 || l.length > MAX_DELIMITER_LENGTH || !l.startsWith('--')) return null;
  for (let k = 0; k < l.length; k++) if (l[k] === ' ' || l[k] === '\t') return null;
  return l.endsWith('--') && l.length > 4
    ? { token: l.slice(2, -2), closing: true }
    : { token: l.slice(2), closing: false };
}

/**
 * What is wrong with the structure of a multipart message, or null when it is sound (or not multipart): the
 * declared boundary is missing, never used as a delimiter, or never closed.
 */
export function mimeDamage(raw: Buffer, contentType: string): string | null {
  if (!contentType.toLowerCase().trimStart().startsWith('multipart/')) return null;
  const boundary = headerParam(contentType, 'boundary');
  if (!boundary) return 'multipart without a boundary parameter';
  const text = raw.subarray(0, MAX_RECOVERY_BYTES).toString('latin1');
  const start = bodyStart(text);
  if (start < 0) return 'multipart without a body';
  let opened = false;
  let closed = false;
  for (const line of linesOf(text.slice(start))) {
    const l = line.trimEnd();
    if (l === `--${boundary}`) opened = true;
    else if (l === `--${boundary}--`) closed = true;
  }
  if (!opened) return 'the declared MIME boundary is not the delimiter used';
  if (!closed) return 'no closing MIME delimiter';
  return null;
}

interface Segment {
  headers: Map<string, string>;
  lines: string[];
}

/** Splits a body at every delimiter-like line; each segment's header block (if any) is read off its top. */
function segmentsOf(lines: string[]): { preamble: string[]; segments: Segment[] } {
  const known = new Set<string>();
  const preamble: string[] = [];
  const segments: Segment[] = [];
  let current: Segment | null = null;
  let closed = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const delimiter = delimiterOf(line);
    if (delimiter?.closing && known.has(delimiter.token)) {
      // What follows a closing delimiter is the epilogue: not part of any text.
      current = null;
      closed = true;
      continue;
    }
    const next = lines[i + 1] ?? '';
    if (delimiter && (known.has(delimiter.token) || next.toLowerCase().startsWith('content-'))) {
      known.add(delimiter.token);
      closed = false;
      const headers = new Map<string, string>();
      let j = i + 1;
      let last = '';
      while (j < lines.length && !isBlank(lines[j]!)) {
        const h = lines[j]!;
        if ((h.startsWith(' ') || h.startsWith('\t')) && last) {
          headers.set(last, `${headers.get(last) ?? ''} ${h.trim()}`);
        } else if (isHeaderLine(h)) {
          const colon = h.indexOf(':');
          last = h.slice(0, colon).toLowerCase();
          headers.set(last, h.slice(colon + 1).trim());
        } else break;
        j++;
      }
      if (headers.size === 0) j = i; // No header block: the segment's text starts right after the delimiter.
      current = { headers, lines: [] };
      segments.push(current);
      i = j;
      continue;
    }
    if (current) current.lines.push(line);
    else if (!closed) preamble.push(line);
  }
  return { preamble, segments };
}

function decodeQuotedPrintable(lines: string[]): Buffer {
  const bytes: number[] = [];
  const hex = (c: number) =>
    c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
  lines.forEach((raw, n) => {
    const line = raw.trimEnd();
    const soft = line.endsWith('=');
    const body = soft ? line.slice(0, -1) : line;
    for (let k = 0; k < body.length; k++) {
      const c = body.charCodeAt(k);
      if (c === 61 && k + 2 < body.length && hex(body.charCodeAt(k + 1)) >= 0) {
        const hi = hex(body.charCodeAt(k + 1));
        const lo = hex(body.charCodeAt(k + 2));
        if (lo >= 0) {
          bytes.push(hi * 16 + lo);
          k += 2;
          continue;
        }
      }
      bytes.push(c & 0xff);
    }
    if (!soft && n < lines.length - 1) bytes.push(10);
  });
  return Buffer.from(bytes);
}

function decodeBase64(lines: string[]): Buffer {
  let s = '';
  for (const line of lines) {
    const l = line.trim();
    if (!l) continue;
    for (let k = 0; k < l.length; k++) {
      const c = l.charCodeAt(k);
      const ok =
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 43 || c === 47;
      if (!ok && c !== 61) return Buffer.from(s, 'base64');
    }
    s += l;
  }
  return Buffer.from(s, 'base64');
}

/** Bytes to text in the declared charset; undeclared or undecodable UTF-8 falls back to Windows-1250 (Romanian). */
function decodeCharset(bytes: Buffer, charset: string | null): string {
  const tryDecode = (cs: string, fatal: boolean) => {
    try {
      return new TextDecoder(cs, { fatal }).decode(bytes);
    } catch {
      return null;
    }
  };
  if (charset) {
    const declared = tryDecode(charset.toLowerCase(), false);
    if (declared !== null) return declared;
  }
  return tryDecode('utf-8', true) ?? tryDecode('windows-1250', false) ?? bytes.toString('latin1');
}

function decodeSegment(headers: Map<string, string>, lines: string[]): string {
  const cte = (headers.get('content-transfer-encoding') ?? '').toLowerCase().trim();
  const charset = headerParam(headers.get('content-type') ?? '', 'charset');
  const bytes =
    cte === 'quoted-printable'
      ? decodeQuotedPrintable(lines)
      : cte === 'base64'
        ? decodeBase64(lines)
        : Buffer.from(lines.join('\n'), 'latin1');
  return decodeCharset(bytes, charset);
}

const BLOCK_ENDS = ['br', '/p', '/div', '/tr', '/li', '/h1', '/h2', '/h3', '/h4', '/h5', '/h6'];

/**
 * A line break before every tag that ends a block (`<br>`, `</p>`, `</div>`, ...), found with indexOf: a regular
 * expression here backtracked quadratically on a body of unclosed `<br` (40 000 of them took 11 s).
 */
function breakBeforeBlockEnds(html: string): string {
  const out: string[] = [];
  let from = 0;
  for (let i = html.indexOf('<'); i >= 0; i = html.indexOf('<', i + 1)) {
    const head = html.slice(i + 1, i + 5).toLowerCase();
    const name = BLOCK_ENDS.find((t) => head.startsWith(t));
    if (!name) continue;
    const after = html.charCodeAt(i + 1 + name.length);
    const isWordChar =
      (after >= 48 && after <= 57) ||
      (after >= 65 && after <= 90) ||
      (after >= 97 && after <= 122) ||
      after === 95;
    if (isWordChar) continue;
    out.push(html.slice(from, i), '\n');
    from = i;
  }
  out.push(html.slice(from));
  return out.join('');
}

/** Text of an HTML fragment: tags removed, block ends as line breaks. */
export function htmlToText(html: string): string {
  return sanitizeHtml(breakBeforeBlockEnds(flattenDeepNesting(html)), {
    allowedTags: [],
    allowedAttributes: {},
  })
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** True when a text holds words a person can read (not just punctuation, control bytes or replacement marks). */
export function isReadable(text: string): boolean {
  let letters = 0;
  let visible = 0;
  let bad = 0;
  for (const ch of text) {
    if (ch === '\uFFFD' || (ch < ' ' && ch !== '\n' && ch !== '\r' && ch !== '\t')) bad++;
    if (ch.trim() === '') continue;
    visible++;
    if (ch.toLowerCase() !== ch.toUpperCase()) letters++;
  }
  return letters >= 8 && letters >= visible * 0.4 && bad <= visible * 0.05;
}

/**
 * The readable text in the raw bytes of a message whose MIME structure is broken: its text parts (plain first,
 * else HTML made text), each decoded by its own transfer encoding and charset, or the whole body when no part
 * can be told apart. Empty when nothing readable remains.
 */
export function recoverText(
  raw: Buffer,
  topHeaders: { contentTransferEncoding?: string | null } = {},
): string {
  const text = raw.subarray(0, MAX_RECOVERY_BYTES).toString('latin1');
  const start = bodyStart(text);
  if (start < 0) return '';
  const { preamble, segments } = segmentsOf(linesOf(text.slice(start)));
  const plain: string[] = [];
  const html: string[] = [];
  for (const s of segments) {
    const type = (s.headers.get('content-type') ?? 'text/plain').toLowerCase().trim();
    const disposition = (s.headers.get('content-disposition') ?? '').toLowerCase();
    if (disposition.startsWith('attachment')) continue;
    if (type.startsWith('text/plain')) plain.push(decodeSegment(s.headers, s.lines).trim());
    else if (type.startsWith('text/html')) html.push(htmlToText(decodeSegment(s.headers, s.lines)));
  }
  const candidates = [
    plain.filter(Boolean).join('\n\n'),
    html.filter(Boolean).join('\n\n'),
    segments.length === 0
      ? decodeSegment(
          new Map([['content-transfer-encoding', topHeaders.contentTransferEncoding ?? '']]),
          preamble,
        ).trim()
      : '',
  ];
  return candidates.find((c) => isReadable(c)) ?? '';
}
