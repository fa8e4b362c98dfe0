import addressparser from 'nodemailer/lib/addressparser/index.js';
import { imapString, nstring } from './imap-parser.ts';
import { headerValue, parseContentType, type HeaderField, type MimePart } from './message-structure.ts';

/**
 * The FETCH items ENVELOPE and BODYSTRUCTURE (RFC 3501 section 7.4.2), written in IMAP syntax from the MIME
 * structure that message-structure.ts reads out of a stored message.
 */

type AddressNode = { name?: string; address?: string; group?: AddressNode[] };

function addressList(value: string | null): Buffer {
  if (!value) return Buffer.from('NIL');
  let parsed: AddressNode[];
  try {
    parsed = addressparser(value) as AddressNode[];
  } catch {
    return Buffer.from('NIL');
  }
  const items: Buffer[] = [];
  const one = (a: AddressNode) => {
    const addr = a.address ?? '';
    const at = addr.lastIndexOf('@');
    const mailbox = at >= 0 ? addr.slice(0, at) : addr;
    const host = at >= 0 ? addr.slice(at + 1) : 'MISSING_DOMAIN';
    items.push(
      Buffer.concat([
        Buffer.from('('),
        nstring(a.name || null),
        Buffer.from(' NIL '),
        nstring(mailbox),
        Buffer.from(' '),
        nstring(host),
        Buffer.from(')'),
      ]),
    );
  };
  for (const a of parsed) {
    if (a.group) {
      // RFC 3501: a group is (NIL NIL "name" NIL), its members, then (NIL NIL NIL NIL).
      items.push(Buffer.concat([Buffer.from('(NIL NIL '), nstring(a.name ?? ''), Buffer.from(' NIL)')]));
      for (const m of a.group) if (!m.group) one(m);
      items.push(Buffer.from('(NIL NIL NIL NIL)'));
    } else if (a.address) one(a);
  }
  if (!items.length) return Buffer.from('NIL');
  return Buffer.concat([Buffer.from('('), ...items, Buffer.from(')')]);
}

export function envelope(headers: HeaderField[]): Buffer {
  const h = (k: string) => headerValue(headers, k);
  const from = h('from');
  const sp = Buffer.from(' ');
  return Buffer.concat([
    Buffer.from('('),
    nstring(h('date')),
    sp,
    nstring(h('subject')),
    sp,
    addressList(from),
    sp,
    addressList(h('sender') ?? from),
    sp,
    addressList(h('reply-to') ?? from),
    sp,
    addressList(h('to')),
    sp,
    addressList(h('cc')),
    sp,
    addressList(h('bcc')),
    sp,
    nstring(h('in-reply-to')),
    sp,
    nstring(h('message-id')),
    Buffer.from(')'),
  ]);
}

function paramList(params: Array<[string, string]>): Buffer {
  if (!params.length) return Buffer.from('NIL');
  const out: Buffer[] = [Buffer.from('(')];
  params.forEach(([k, v], i) => {
    if (i) out.push(Buffer.from(' '));
    out.push(imapString(k.toUpperCase()), Buffer.from(' '), imapString(v));
  });
  out.push(Buffer.from(')'));
  return Buffer.concat(out);
}

function disposition(headers: HeaderField[]): Buffer {
  const d = parseContentType(headerValue(headers, 'content-disposition'));
  if (!d) return Buffer.from('NIL');
  // parseContentType reads "attachment; filename=x" as type "attachment" without a subtype.
  return Buffer.concat([
    Buffer.from('('),
    imapString(d.type),
    Buffer.from(' '),
    paramList(d.params),
    Buffer.from(')'),
  ]);
}

function countLines(buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let pos = start; ;) {
    const lf = buf.indexOf(10, pos);
    if (lf < 0 || lf >= end) break;
    n++;
    pos = lf + 1;
  }
  if (end > start && buf[end - 1] !== 10) n++;
  return n;
}

/** BODYSTRUCTURE (`extended`) or BODY of a part, RFC 3501 section 7.4.2. */
export function bodyStructure(buf: Buffer, part: MimePart, extended: boolean): Buffer {
  const sp = Buffer.from(' ');
  const hv = (k: string) => headerValue(part.headers, k);
  if (part.children) {
    const out: Buffer[] = [Buffer.from('(')];
    if (!part.children.length) out.push(Buffer.from('("text" "plain" NIL NIL NIL "7bit" 0 0)'));
    for (const c of part.children) out.push(bodyStructure(buf, c, extended));
    out.push(sp, imapString(part.subtype));
    if (extended)
      out.push(
        sp,
        paramList(part.params),
        sp,
        disposition(part.headers),
        sp,
        nstring(hv('content-language')),
        sp,
        nstring(hv('content-location')),
      );
    out.push(Buffer.from(')'));
    return Buffer.concat(out);
  }
  const size = part.bodyEnd - part.bodyStart;
  const out: Buffer[] = [
    Buffer.from('('),
    imapString(part.type),
    sp,
    imapString(part.subtype),
    sp,
    paramList(part.params),
    sp,
    nstring(hv('content-id')),
    sp,
    nstring(hv('content-description')),
    sp,
    imapString((hv('content-transfer-encoding') ?? '7bit').toLowerCase()),
    sp,
    Buffer.from(String(size)),
  ];
  if (part.message) {
    out.push(
      sp,
      envelope(part.message.headers),
      sp,
      bodyStructure(buf, part.message, extended),
      sp,
      Buffer.from(String(countLines(buf, part.bodyStart, part.bodyEnd))),
    );
  } else if (part.type === 'text') {
    out.push(sp, Buffer.from(String(countLines(buf, part.bodyStart, part.bodyEnd))));
  }
  if (extended)
    out.push(
      sp,
      nstring(hv('content-md5')),
      sp,
      disposition(part.headers),
      sp,
      nstring(hv('content-language')),
      sp,
      nstring(hv('content-location')),
    );
  out.push(Buffer.from(')'));
  return Buffer.concat(out);
}
