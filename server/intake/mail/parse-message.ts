import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';
import { BUSINESS_TZ } from '../../codes/business-date.ts';
import { flattenDeepNesting } from './html-nesting.ts';
import { htmlToText, isReadable, mimeDamage, recoverText } from './mime-recovery.ts';
import {
  capText,
  MAX_HEADER_CHARS,
  MAX_HTML_CHARS,
  MAX_NAME_CHARS,
  MAX_SUBJECT_CHARS,
  MAX_TEXT_CHARS,
} from '../input-limits.ts';

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export interface ParsedAttachment {
  content: Buffer;
  sha256: string;
  filename: string | null;
  contentType: string;
  size: number;
  disposition: 'attachment' | 'inline';
  contentId: string | null;
}

export interface ParsedInbound {
  messageId: string | null;
  fromAddress: string | null;
  fromName: string | null;
  subject: string;
  text: string;
  safeHtml: string | null;
  /** Lower-case header name -> raw value(s) as text, top level only. */
  header(name: string): string | null;
  inReplyTo: string[];
  references: string[];
  contentType: string;
  attachments: ParsedAttachment[];
  date: Date | null;
  /**
   * What is wrong with the MIME structure (declared boundary not used, no closing delimiter, ...), or null. When
   * the parser found no text because of it, `text` was recovered from the raw body and `textRecovered` is true.
   */
  mimeDamage: string | null;
  textRecovered: boolean;
  /** Messages forwarded as attachments (message/rfc822), read like the message itself, outermost first. */
  forwarded: ForwardedMessage[];
}

export interface ForwardedMessage {
  fromAddress: string | null;
  fromName: string | null;
  subject: string;
  date: Date | null;
  text: string;
}

/** How deep forwarded messages inside forwarded messages are read, and how many in all. */
const MAX_FORWARD_DEPTH = 3;
const MAX_FORWARDED = 10;

export class UnparseableMessageError extends Error {}

/**
 * Display-safe HTML: no scripts, styles, frames, forms or event handlers, and no remote resources: an image is
 * kept only when it is part of the message (`cid:`) or inline data, so opening a case never calls out to a
 * sender's server (tracking pixels, exploits).
 */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(flattenDeepNesting(html), {
    allowedTags: [
      ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'a'),
      'a',
      'img',
      'font',
      'center',
      'span',
    ],
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'width', 'height'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
      '*': ['dir', 'lang'],
    },
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['cid', 'data'] },
    allowProtocolRelative: false,
    transformTags: {
      a: (tagName, attribs) => ({
        tagName,
        attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' },
      }),
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  });
}

function firstAddress(a: AddressObject | AddressObject[] | undefined): {
  address: string | null;
  name: string | null;
} {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  for (const group of list) {
    for (const v of group.value) {
      if (v.address) return { address: addressOrNull(v.address), name: nameOrNull(v.name) };
      for (const g of v.group ?? [])
        if (g.address) return { address: addressOrNull(g.address), name: nameOrNull(g.name) };
    }
  }
  return { address: null, name: null };
}

/** An address longer than RFC 5321 allows (254) is no address: nobody can be answered there. */
const addressOrNull = (a: string) => (a.length <= 254 ? a.toLowerCase() : null);
const nameOrNull = (n: string | undefined) => capText(n?.trim() ?? '', MAX_NAME_CHARS) || null;

/** The Message-IDs in In-Reply-To or References (each at most 998 characters: a header line). */
function idList(v: string | string[] | undefined): string[] {
  const all = capText(Array.isArray(v) ? v.join(' ') : (v ?? ''), MAX_HEADER_CHARS);
  return all.match(/<[^<>\s]{1,998}>/g) ?? [];
}

function headerText(parsed: ParsedMail, name: string): string | null {
  const line = parsed.headerLines.find((h) => h.key === name);
  if (!line) return null;
  const i = line.line.indexOf(':');
  return capText(line.line.slice(i + 1), MAX_HEADER_CHARS).trim();
}

/**
 * Parses raw RFC 822 bytes (mailparser; charsets such as Windows-1250 and ISO-8859-2 are decoded). A message whose
 * broken MIME structure hides its text gets the text recovered from the raw body; messages forwarded as
 * attachments (message/rfc822) are parsed too, so their words and codes are read.
 */
export async function parseMessage(raw: Buffer, depth = 0): Promise<ParsedInbound> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, {
      skipImageLinks: true,
      skipTextLinks: true,
      // textAsHtml is not used: no linkifying of a megabyte of text.
      skipTextToHtml: true,
      keepDeliveryStatus: true,
    });
  } catch (err) {
    throw new UnparseableMessageError(`MIME parse failed: ${(err as Error).message}`);
  }
  // RFC 5322 field names are printable ASCII without ':'; mailparser also reports junk lines as "headers".
  if (!parsed.headerLines.some((h) => /^[\x21-\x39\x3b-\x7e]+$/.test(h.key) && h.line.includes(':')))
    throw new UnparseableMessageError('no header lines: not an e-mail message');
  const from = firstAddress(parsed.from);
  // Every untrusted text is cut to its limit here, the one door from raw bytes to text (server/intake/input-limits.ts).
  const html = typeof parsed.html === 'string' ? capText(parsed.html, MAX_HTML_CHARS) : null;
  const contentType = headerText(parsed, 'content-type') ?? 'text/plain';
  const damage = mimeDamage(raw, contentType);
  let text = capText((parsed.text ?? '').trim() || (html ? htmlToText(html) : ''), MAX_TEXT_CHARS);
  let textRecovered = false;
  if (damage && !isReadable(text)) {
    const recovered = recoverText(raw, {
      contentTransferEncoding: headerText(parsed, 'content-transfer-encoding'),
    });
    if (recovered) {
      text = capText(recovered, MAX_TEXT_CHARS);
      textRecovered = true;
    }
  }
  const attachments: ParsedAttachment[] = parsed.attachments.map((a) => ({
    content: a.content,
    sha256: sha256Hex(a.content),
    filename: a.filename ?? null,
    contentType: a.contentType || 'application/octet-stream',
    size: a.content.length,
    disposition: a.contentDisposition === 'inline' ? 'inline' : 'attachment',
    contentId: a.cid ?? null,
  }));
  return {
    messageId: parsed.messageId
      ? parsed.messageId.startsWith('<')
        ? parsed.messageId
        : `<${parsed.messageId}>`
      : null,
    fromAddress: from.address,
    fromName: from.name,
    subject: capText((parsed.subject ?? '').trim(), MAX_SUBJECT_CHARS),
    text,
    safeHtml: html ? sanitizeMailHtml(html) : null,
    header: (name) => headerText(parsed, name.toLowerCase()),
    inReplyTo: idList(parsed.inReplyTo),
    references: idList(parsed.references),
    contentType,
    attachments,
    date: parsed.date ?? null,
    mimeDamage: damage,
    textRecovered,
    forwarded: depth < MAX_FORWARD_DEPTH ? await forwardedIn(attachments, depth) : [],
  };
}

/** The messages forwarded as message/rfc822 attachments, and those they forward in turn. */
async function forwardedIn(attachments: ParsedAttachment[], depth: number): Promise<ForwardedMessage[]> {
  const out: ForwardedMessage[] = [];
  for (const a of attachments) {
    if (out.length >= MAX_FORWARDED) break;
    if (a.contentType.toLowerCase() !== 'message/rfc822') continue;
    let inner: ParsedInbound;
    try {
      inner = await parseMessage(a.content, depth + 1);
    } catch (err) {
      if (err instanceof UnparseableMessageError) continue; // Kept as an attachment; nothing to read in it.
      throw err;
    }
    out.push({
      fromAddress: inner.fromAddress,
      fromName: inner.fromName,
      subject: inner.subject,
      date: inner.date,
      text: inner.text,
    });
    out.push(...inner.forwarded);
  }
  return out.slice(0, MAX_FORWARDED);
}

/**
 * The message as a person reads it: its own text, then each forwarded message with its sender, date and subject
 * (what a mail program shows below "Forwarded message").
 */
export function readableText(m: Pick<ParsedInbound, 'text' | 'forwarded'>): string {
  const parts = [m.text];
  for (const f of m.forwarded) {
    const from =
      f.fromName && f.fromAddress ? `${f.fromName} <${f.fromAddress}>` : (f.fromAddress ?? f.fromName);
    parts.push(
      [
        '---------- Mesaj redirecționat ----------',
        ...(from ? [`De la: ${from}`] : []),
        ...(f.date ? [`Data: ${f.date.toLocaleString('ro-RO', { timeZone: BUSINESS_TZ })}`] : []),
        ...(f.subject ? [`Subiect: ${f.subject}`] : []),
        '',
        f.text,
      ].join('\n'),
    );
  }
  return capText(parts.filter((p) => p.trim()).join('\n\n'), MAX_TEXT_CHARS);
}
