import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';

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
}

export class UnparseableMessageError extends Error {}

/**
 * Display-safe HTML: no scripts, styles, frames, forms or event handlers, and no remote resources: an image is
 * kept only when it is part of the message (`cid:`) or inline data, so opening a case never calls out to a
 * sender's server (tracking pixels, exploits).
 */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, {
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
      if (v.address) return { address: v.address.toLowerCase(), name: v.name?.trim() || null };
      for (const g of v.group ?? [])
        if (g.address) return { address: g.address.toLowerCase(), name: g.name || null };
    }
  }
  return { address: null, name: null };
}

function idList(v: string | string[] | undefined): string[] {
  const all = Array.isArray(v) ? v.join(' ') : (v ?? '');
  return all.match(/<[^<>\s]+>/g) ?? [];
}

function headerText(parsed: ParsedMail, name: string): string | null {
  const line = parsed.headerLines.find((h) => h.key === name);
  if (!line) return null;
  const i = line.line.indexOf(':');
  return line.line.slice(i + 1).trim();
}

/** The text to display and search when a message has only HTML. */
function htmlToText(html: string): string {
  return sanitizeHtml(html.replace(/<(br|\/p|\/div|\/tr|\/li|\/h\d)\b[^>]*>/gi, '\n$&'), {
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

/** Parses raw RFC 822 bytes (mailparser; charsets such as Windows-1250 and ISO-8859-2 are decoded). */
export async function parseMessage(raw: Buffer): Promise<ParsedInbound> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, keepDeliveryStatus: true });
  } catch (err) {
    throw new UnparseableMessageError(`MIME parse failed: ${(err as Error).message}`);
  }
  // RFC 5322 field names are printable ASCII without ':'; mailparser also reports junk lines as "headers".
  if (!parsed.headerLines.some((h) => /^[\x21-\x39\x3b-\x7e]+$/.test(h.key) && h.line.includes(':')))
    throw new UnparseableMessageError('no header lines: not an e-mail message');
  const from = firstAddress(parsed.from);
  const html = typeof parsed.html === 'string' ? parsed.html : null;
  const text = (parsed.text ?? '').trim() || (html ? htmlToText(html) : '');
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
    subject: (parsed.subject ?? '').trim(),
    text,
    safeHtml: html ? sanitizeMailHtml(html) : null,
    header: (name) => headerText(parsed, name.toLowerCase()),
    inReplyTo: idList(parsed.inReplyTo),
    references: idList(parsed.references),
    contentType: headerText(parsed, 'content-type') ?? 'text/plain',
    attachments,
    date: parsed.date ?? null,
  };
}
