/**
 * MIME structure of a stored message, as IMAP FETCH needs it: header and body offsets of every part (for
 * BODY[1.2], BODY[1.MIME], BODY[HEADER] ...); fetch-structure.ts writes ENVELOPE and BODYSTRUCTURE from it. Works on the raw bytes with indexOf
 * only, accepts CRLF and bare LF, and bounds nesting and part count so a hostile message cannot blow the stack.
 * Header values are kept as latin1 strings, i.e. the raw bytes, so 8-bit headers go back out unchanged.
 */

const MAX_DEPTH = 30;
const MAX_PARTS = 2000;

export interface HeaderField {
  /** Lower-case name. */
  key: string;
  /** Unfolded value without the name and colon, raw bytes as latin1. */
  value: string;
  /** The whole field as it is in the message, folding and line end included. */
  raw: Buffer;
}

export interface MimePart {
  headerStart: number;
  /** End of the header section including its blank line = start of the body. */
  bodyStart: number;
  bodyEnd: number;
  headers: HeaderField[];
  type: string;
  subtype: string;
  params: Array<[string, string]>;
  children?: MimePart[];
  /** The encapsulated message of a message/rfc822 part. */
  message?: MimePart;
}

/** Offset just past the blank line that ends the header section starting at `start` (or `end` if none). */
export function headerEnd(buf: Buffer, start: number, end: number): number {
  if (buf[start] === 10) return start + 1;
  if (buf[start] === 13 && buf[start + 1] === 10) return start + 2;
  let pos = start;
  for (;;) {
    const lf = buf.indexOf(10, pos);
    if (lf < 0 || lf >= end) return end;
    if (buf[lf + 1] === 10 && lf + 1 < end) return lf + 2;
    if (buf[lf + 1] === 13 && buf[lf + 2] === 10 && lf + 2 < end) return lf + 3;
    pos = lf + 1;
  }
}

export function parseHeaders(buf: Buffer, start: number, end: number): HeaderField[] {
  const out: HeaderField[] = [];
  let pos = start;
  let fieldStart = -1;
  const finish = (to: number) => {
    if (fieldStart < 0) return;
    const raw = buf.subarray(fieldStart, to);
    const text = raw.toString('latin1');
    const colon = text.indexOf(':');
    if (colon > 0) {
      const key = text.slice(0, colon).trim().toLowerCase();
      const value = text
        .slice(colon + 1)
        .replaceAll('\r\n', '\n')
        .replaceAll('\n', '')
        .trim();
      out.push({ key, value, raw });
    }
    fieldStart = -1;
  };
  while (pos < end) {
    let lf = buf.indexOf(10, pos);
    if (lf < 0 || lf >= end) lf = end - 1;
    const first = buf[pos];
    const blank = first === 10 || (first === 13 && buf[pos + 1] === 10);
    if (blank) break;
    if (first !== 32 && first !== 9) {
      finish(pos);
      fieldStart = pos;
    }
    pos = lf + 1;
  }
  finish(pos);
  return out;
}

export function headerValue(headers: HeaderField[], key: string): string | null {
  for (const h of headers) if (h.key === key) return h.value;
  return null;
}

/** `type/subtype; a=b; c="d e"` split into its parts; a hand-written scanner honouring quotes. */
export function parseContentType(value: string | null): {
  type: string;
  subtype: string;
  params: Array<[string, string]>;
} | null {
  if (!value) return null;
  const items: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted) {
      if (ch === '\\' && i + 1 < value.length) {
        cur += value[++i];
        continue;
      }
      if (ch === '"') quoted = false;
      else cur += ch;
      continue;
    }
    if (ch === '"') quoted = true;
    else if (ch === ';') {
      items.push(cur);
      cur = '';
    } else cur += ch;
  }
  items.push(cur);
  const main = items.shift()!.trim();
  const slash = main.indexOf('/');
  const params: Array<[string, string]> = [];
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    params.push([item.slice(0, eq).trim().toLowerCase(), item.slice(eq + 1).trim()]);
  }
  if (slash <= 0) return { type: main.toLowerCase() || 'text', subtype: 'plain', params };
  return {
    type: main.slice(0, slash).trim().toLowerCase(),
    subtype: main
      .slice(slash + 1)
      .trim()
      .toLowerCase(),
    params,
  };
}

interface Budget {
  parts: number;
}

function parseEntity(
  buf: Buffer,
  start: number,
  end: number,
  depth: number,
  budget: Budget,
  defaultType: [string, string],
): MimePart {
  budget.parts++;
  const bodyStart = headerEnd(buf, start, end);
  const headers = parseHeaders(buf, start, bodyStart);
  const ct = parseContentType(headerValue(headers, 'content-type'));
  const part: MimePart = {
    headerStart: start,
    bodyStart,
    bodyEnd: end,
    headers,
    type: ct?.type ?? defaultType[0],
    subtype: ct?.subtype ?? defaultType[1],
    params: ct?.params ?? (ct ? [] : defaultType[0] === 'text' ? [['charset', 'us-ascii']] : []),
  };
  const deep = depth >= MAX_DEPTH || budget.parts >= MAX_PARTS;
  if (part.type === 'multipart' && !deep) {
    const boundary = part.params.find(([k]) => k === 'boundary')?.[1];
    if (boundary) {
      const childDefault: [string, string] =
        part.subtype === 'digest' ? ['message', 'rfc822'] : ['text', 'plain'];
      part.children = splitMultipart(buf, bodyStart, end, boundary).map(([s, e]) =>
        parseEntity(buf, s, e, depth + 1, budget, childDefault),
      );
    } else part.children = [];
  } else if (part.type === 'message' && part.subtype === 'rfc822' && !deep) {
    const enc = (headerValue(headers, 'content-transfer-encoding') ?? '7bit').toLowerCase();
    if (enc === '7bit' || enc === '8bit' || enc === 'binary')
      part.message = parseEntity(buf, bodyStart, end, depth + 1, budget, ['text', 'plain']);
  }
  return part;
}

/** Byte ranges of the body parts between `--boundary` lines (RFC 2046 section 5.1.1). */
function splitMultipart(buf: Buffer, start: number, end: number, boundary: string): Array<[number, number]> {
  const delim = Buffer.from(`--${boundary}`, 'latin1');
  const ranges: Array<[number, number]> = [];
  let partStart = -1;
  let pos = start;
  while (pos < end) {
    const at = buf.indexOf(delim, pos);
    if (at < 0 || at + delim.length > end) break;
    pos = at + delim.length;
    if (at !== start && buf[at - 1] !== 10) continue; // not at a line start
    const close = buf[pos] === 45 && buf[pos + 1] === 45;
    // The rest of the delimiter line may only be white space (else it is a longer, different boundary).
    let eol = close ? pos + 2 : pos;
    while (eol < end && (buf[eol] === 32 || buf[eol] === 9)) eol++;
    if (!close && eol < end && buf[eol] !== 13 && buf[eol] !== 10) continue;
    // The line break before the delimiter belongs to the delimiter.
    const before = at === start ? at : buf[at - 2] === 13 ? at - 2 : at - 1;
    if (partStart >= 0) ranges.push([partStart, Math.max(partStart, before)]);
    if (close) return ranges;
    const lf = buf.indexOf(10, eol);
    partStart = lf < 0 || lf >= end ? end : lf + 1;
    pos = partStart;
  }
  if (partStart >= 0) ranges.push([partStart, end]);
  return ranges;
}

export function parseMessage(buf: Buffer): MimePart {
  return parseEntity(buf, 0, buf.length, 0, { parts: 0 }, ['text', 'plain']);
}

// ---- sections ----

/**
 * The part a section's part number names (RFC 3501 6.4.5): for a message/rfc822 part the numbers go on into
 * the encapsulated message; part 1 of a non-multipart message is its body.
 */
export function findPart(root: MimePart, numbers: number[]): MimePart | null {
  let cur = root;
  for (let i = 0; i < numbers.length; i++) {
    const n = numbers[i]!;
    const container = i > 0 && cur.message ? cur.message : cur;
    if (container.children) {
      const next = container.children[n - 1];
      if (!next) return null;
      cur = next;
    } else if (n === 1) cur = container;
    else return null;
  }
  return cur;
}

/** HEADER.FIELDS / HEADER.FIELDS.NOT of a header section: the chosen fields as written, then a blank line. */
export function headerFields(headers: HeaderField[], names: string[], not: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const out: Buffer[] = [];
  for (const h of headers) {
    if (wanted.has(h.key) === not) continue;
    out.push(h.raw);
    const last = h.raw[h.raw.length - 1];
    if (last !== 10) out.push(Buffer.from('\r\n'));
  }
  out.push(Buffer.from('\r\n'));
  return Buffer.concat(out);
}
