import { findOperatorReference } from '../../operator-requests/index.ts';
import type { ParsedInbound } from './parse-message.ts';

export type Classification =
  | { kind: 'complaint' }
  | { kind: 'reply'; reason: string; caseRef: CaseRef }
  | { kind: 'operator_answer'; reason: string; request: OperatorRequestRef }
  | { kind: 'auto_reply'; reason: string; caseRef: CaseRef | null }
  | { kind: 'bounce'; reason: string; ourMessage: OurMessage | null }
  | { kind: 'loop'; reason: string };

export interface CaseRef {
  caseId: string;
  number: string;
  /** When the message that led to the case was sent or received (threading picks the newest). */
  at?: Date;
}

export interface OurMessage extends CaseRef {
  /** `acknowledgement`, `answer`, ... */
  messageKind: string;
  toAddress: string | null;
}

/** One of our requests to the distribution operator (server/operator-requests), as the intake sees it. */
export interface OperatorRequestRef extends CaseRef {
  requestId: number;
  reference: string;
  /** Where the request went; an answer must come from that mail domain. */
  toAddress: string | null;
}

/** Lookups the rules need, always within the tenant whose mailbox the message came from. */
export interface ClassifyContext {
  /** Our outgoing messages (case_messages) by Message-ID. */
  findOurMessage(messageIds: string[]): Promise<OurMessage | null>;
  /**
   * The case of a message the consumer sent us (the complaint or a later reply) by its Message-ID: a follow-up
   * written from the consumer's Sent folder names their own first message, not ours.
   */
  findCaseOfMessage(messageIds: string[]): Promise<CaseRef | null>;
  /** A case of this tenant by registration number, with the addresses a reply may come from. */
  findCase(number: string): Promise<(CaseRef & { emails: string[] }) | null>;
  /** Our request to the distribution operator by its reference (subject) or Message-ID (In-Reply-To/References). */
  findOperatorRequest(q: {
    reference: string | null;
    messageIds: string[];
  }): Promise<OperatorRequestRef | null>;
  /** The tenant's distribution operator address (tenant setting), if any. */
  operatorEmail?: string | null;
  tenantCode: string;
  /** Addresses that are ours: the intake address, the sender of our outgoing mail. */
  ownAddresses: string[];
}

const OWN_MESSAGE_ID = /^<(acknowledgement|answer)\.[0-9a-f-]{36}@/i;
const NUMBER = /\b([A-Z][A-Z0-9]{1,15})-(\d{4})-(\d{6})\b/g;

/** `Auto-Submitted`, `X-Autoreply` & co.: the reason a message is automatic, or null. */
function automaticReason(m: ParsedInbound, returnPathEmpty: boolean): string | null {
  const autoSubmitted = m.header('auto-submitted');
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted)) return `Auto-Submitted: ${autoSubmitted}`;
  for (const h of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-reply']) {
    const v = m.header(h);
    if (v !== null) return `${h}: ${v}`;
  }
  const precedence = m.header('precedence');
  if (precedence && /^(bulk|junk|list|auto_reply)\b/i.test(precedence)) return `Precedence: ${precedence}`;
  if (m.header('x-failed-recipients') !== null) return 'X-Failed-Recipients';
  if (returnPathEmpty) return 'empty Return-Path';
  return null;
}

function isBounce(m: ParsedInbound, returnPathEmpty: boolean): boolean {
  if (/multipart\/report/i.test(m.contentType) && /delivery-status/i.test(m.contentType)) return true;
  if (m.header('x-failed-recipients') !== null) return true;
  const from = m.fromAddress ?? '';
  return returnPathEmpty && /^(mailer-daemon|postmaster)@/i.test(from);
}

/** Every Message-ID named in the raw bytes (the bounced original's headers sit inside the report). */
function messageIdsIn(raw: Buffer): string[] {
  const text = raw.subarray(0, 2_000_000).toString('latin1');
  const out = new Set<string>();
  for (const m of text.matchAll(/^(?:message-id|in-reply-to|references):[ \t]*((?:.*)(?:\r?\n[ \t].*)*)/gim))
    for (const id of m[1]!.match(/<[^<>\s]+>/g) ?? []) out.add(id);
  return [...out];
}

const domainOf = (address: string) => address.toLowerCase().split('@')[1] ?? '';

/** An operator's answer counts only from the mail domain we wrote to (or the tenant's operator address). */
function fromOperator(from: string, req: OperatorRequestRef, operatorEmail: string | null): boolean {
  const domain = domainOf(from);
  if (!domain) return false;
  return [req.toAddress, operatorEmail].some((a) => !!a && domainOf(a) === domain);
}

/**
 * New complaint, reply to a case, or automatic mail that must open no case (auto-replies, bounces, loops)?
 * A reply counts only inside the tenant: a number or a Message-ID of another tenant's case never matches.
 */
export async function classifyMessage(
  m: ParsedInbound,
  raw: Buffer,
  ctx: ClassifyContext,
): Promise<Classification> {
  const returnPath = m.header('return-path');
  const returnPathEmpty = returnPath !== null && /^<\s*>$/.test(returnPath.trim());
  const own = new Set(ctx.ownAddresses.map((a) => a.toLowerCase()));

  if (isBounce(m, returnPathEmpty)) {
    const ours = await ctx.findOurMessage(messageIdsIn(raw).filter((id) => id !== m.messageId));
    return { kind: 'bounce', reason: 'delivery status notification', ourMessage: ours };
  }
  if (m.header('x-reclamatii-case') !== null || (m.messageId && OWN_MESSAGE_ID.test(m.messageId)))
    return { kind: 'loop', reason: 'one of our own messages' };
  if (m.fromAddress && own.has(m.fromAddress))
    return { kind: 'loop', reason: `sent from our own address ${m.fromAddress}` };

  // Threading matches every message of the case, ours and the consumer's (their own first message included).
  const referenced = [...m.inReplyTo, ...m.references].filter((id) => id !== m.messageId);
  // When they name messages of several cases (a thread that went on after a case was answered and a new one
  // opened), the case of the newest message named is the one the message continues.
  const [ours, received] = referenced.length
    ? await Promise.all([ctx.findOurMessage(referenced), ctx.findCaseOfMessage(referenced)])
    : [null, null];
  const theirs = received && (!ours || (ours.at && received.at && received.at > ours.at)) ? received : null;
  const auto = automaticReason(m, returnPathEmpty);
  if (auto) return { kind: 'auto_reply', reason: auto, caseRef: theirs ?? ours };
  if (ours && !theirs)
    return { kind: 'reply', reason: `In-Reply-To/References ${ours.messageKind}`, caseRef: ours };

  const reference = findOperatorReference(m.subject);
  if (reference || referenced.length) {
    const req = await ctx.findOperatorRequest({ reference, messageIds: referenced });
    if (req && m.fromAddress && fromOperator(m.fromAddress, req, ctx.operatorEmail ?? null))
      return {
        kind: 'operator_answer',
        reason:
          reference === req.reference
            ? `reference ${req.reference} in the subject`
            : 'In-Reply-To/References',
        request: req,
      };
  }

  if (theirs)
    return {
      kind: 'reply',
      reason: 'In-Reply-To/References a message received for the case',
      caseRef: theirs,
    };

  for (const match of m.subject.toUpperCase().matchAll(NUMBER)) {
    if (match[1] !== ctx.tenantCode) continue;
    const c = await ctx.findCase(match[0]);
    if (c && m.fromAddress && c.emails.includes(m.fromAddress))
      return { kind: 'reply', reason: `number ${c.number} in the subject`, caseRef: c };
  }
  return { kind: 'complaint' };
}
