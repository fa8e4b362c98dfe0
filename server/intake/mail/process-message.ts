/**
 * One message of a tenant's mailbox, taken in (processInboundMail below): parse, classify, then register a new case,
 * attach a reply, record an operator's answer or an automatic message, or quarantine. One file although past 300
 * lines: each outcome is one branch of the same decision, sharing the stored bytes and the inbound row it writes.
 */
import { evidenceLabel } from '../../codes/evidence-codes.ts';
import { MESSAGES } from '../../../processes/topics.ts';
import { appendAudit } from '../../audit/index.ts';
import { isAnsweredCase } from '../../codes/case-codes.ts';
import {
  addCaseEvent,
  getCaseById,
  getCaseByNumber,
  openCaseContesting,
  queueLetterAfterBounce,
  setContestedCase,
} from '../../cases/index.ts';
import { CONTEST_CATEGORY } from '../contest.service.ts';
import { CASE_STATUS_LABELS } from '../../codes/case-codes.ts';
import type { Tx } from '../../db/client.ts';
import type { Case, InboundKind } from '../../db/schema/index.ts';
import { recordCandidates, addressesIn, identifySender } from '../../identification/index.ts';
import { operatorRequestAnswered, recordAnswerInTx } from '../../operator-requests/index.ts';
import { registerComplaint, type RegisterDeps } from '../register-complaint.ts';
import { putBlob } from '../../documents/index.ts';
import { classifyMessage, type Classification } from './classify.ts';
import { authorityOf, guessCategory } from './guess-category.ts';
import {
  AlreadyRecordedError,
  findCaseOfInboundMessage,
  findInbound,
  findOutgoingByMessageId,
  insertInbound,
  recordDeliveryFailure,
  recordQuarantine,
  setPendingMessage,
} from './inbound.repo.ts';
import { correlateInbound, inlineLease } from './correlation.ts';
import {
  parseMessage,
  readableText,
  sha256Hex,
  UnparseableMessageError,
  type ParsedInbound,
} from './parse-message.ts';

export interface IntakeTenant {
  id: string;
  code: string;
  intakeEmail: string;
  /** The distribution operator's address (tenant setting): its answers to our requests are matched, not registered. */
  operatorEmail?: string | null;
}

export interface IncomingMail {
  raw: Buffer;
  /** When the mailbox received it (IMAP INTERNALDATE). */
  arrivedAt: Date;
}

export type ProcessOutcome =
  | { status: 'registered'; inboundId: string; caseId: string; number: string; identified: boolean }
  | { status: 'reply'; inboundId: string; caseId: string; number: string; correlated: boolean }
  | {
      /** A message about a case already answered or filed: a new case, linked to the earlier one. */
      status: 'further_message';
      inboundId: string;
      caseId: string;
      number: string;
      earlier: { caseId: string; number: string; status: string };
    }
  | {
      status: 'operator_answer';
      inboundId: string;
      caseId: string;
      number: string;
      reference: string;
      /** False when it was a second answer to a request already answered (kept on the case, not correlated). */
      firstAnswer: boolean;
      correlated: boolean;
    }
  | { status: 'ignored'; inboundId: string; kind: InboundKind; reason: string; caseId: string | null }
  | { status: 'duplicate' }
  | { status: 'quarantine'; reason: string };

export interface IntakeDeps extends RegisterDeps {
  /** Addresses our outgoing mail comes from (mail from them is a loop). */
  ownAddresses: string[];
}

/** Largest message we take; bigger ones go to quarantine (the mailbox keeps them). */
export const MAX_MESSAGE_BYTES = 60 * 1024 * 1024;

async function quarantine(
  deps: IntakeDeps,
  tenant: IntakeTenant,
  mail: IncomingMail,
  reason: string,
  parsed?: ParsedInbound,
): Promise<ProcessOutcome> {
  const sha = await putBlob(deps.db, tenant.id, mail.raw);
  await recordQuarantine(deps.db, {
    tenantId: tenant.id,
    rawSha256: sha,
    messageId: parsed?.messageId ?? null,
    subject: parsed?.subject.slice(0, 500) ?? null,
    fromAddress: parsed ? senderOf(parsed) : null,
    size: mail.raw.length,
    reason,
    folder: 'Quarantine',
    arrivedAt: mail.arrivedAt,
  });
  deps.log.warn({ tenant: tenant.code, reason }, 'e-mail quarantined');
  return { status: 'quarantine', reason };
}

/**
 * Takes one message of a tenant's mailbox: stores its bytes and attachments by SHA-256, then registers a new
 * case, attaches a reply to its case, records an automatic message without opening a case, or quarantines what
 * cannot be read. Idempotent on Message-ID + content hash: a second run for the same bytes changes nothing.
 * The caller moves the message out of the inbox only after this resolves.
 */
export async function processInboundMail(
  deps: IntakeDeps,
  tenant: IntakeTenant,
  mail: IncomingMail,
): Promise<ProcessOutcome> {
  const { db } = deps;
  if (mail.raw.length > MAX_MESSAGE_BYTES)
    return quarantine(deps, tenant, mail, `message larger than ${MAX_MESSAGE_BYTES} bytes`);
  let parsed: ParsedInbound;
  try {
    parsed = await parseMessage(mail.raw);
  } catch (err) {
    if (err instanceof UnparseableMessageError) return quarantine(deps, tenant, mail, err.message);
    throw err;
  }
  // A broken MIME structure whose text could not be recovered: a person reads it, never a case without its words.
  if (parsed.mimeDamage && !readableText(parsed).trim() && parsed.attachments.length === 0)
    return quarantine(
      deps,
      tenant,
      mail,
      `broken MIME structure (${parsed.mimeDamage}); no readable text`,
      parsed,
    );
  const rawSha = sha256Hex(mail.raw);
  const dedupeKey = `${parsed.messageId ?? ''}|${rawSha}`;
  if (await findInbound(db, tenant.id, dedupeKey)) return { status: 'duplicate' };

  const classification = await classifyMessage(parsed, mail.raw, {
    tenantCode: tenant.code,
    operatorEmail: tenant.operatorEmail ?? null,
    async findOperatorRequest(q) {
      const r = await operatorRequestAnswered(db, tenant.id, q);
      if (!r) return null;
      return {
        requestId: r.id,
        reference: r.reference,
        toAddress: r.toAddress,
        caseId: r.caseId,
        number: r.reference.split('/')[0] ?? '',
      };
    },
    ownAddresses: [tenant.intakeEmail, ...deps.ownAddresses],
    findOurMessage: (ids) => findOutgoingByMessageId(db, tenant.id, ids),
    findCaseOfMessage: (ids) => findCaseOfInboundMessage(db, tenant.id, ids),
    async findCase(number) {
      const row = await getCaseByNumber(db, tenant.id, number);
      if (!row) return null;
      const emails = [row.case.contactEmail, row.customer?.email]
        .filter((e): e is string => !!e)
        .map((e) => e.toLowerCase());
      return { caseId: row.case.id, number: row.case.number, emails };
    },
  });

  const contactEmail = senderOf(parsed);
  // Bytes first, outside the registration transaction (idempotent; an orphan blob after a crash is harmless).
  await putBlob(db, tenant.id, mail.raw, rawSha);
  for (const a of parsed.attachments) await putBlob(db, tenant.id, a.content, a.sha256);

  const base = {
    tenantId: tenant.id,
    messageId: parsed.messageId,
    rawSha256: rawSha,
    dedupeKey,
    size: mail.raw.length,
    arrivedAt: mail.arrivedAt,
    fromAddress: contactEmail,
    fromName: parsed.fromName,
    subject: parsed.subject,
    // The words as a person reads them: the text (recovered from a broken structure if need be) and forwarded mail.
    textBody: readableText(parsed),
    safeHtml: parsed.safeHtml,
  };

  try {
    if (classification.kind === 'complaint') return await registerFromMail(deps, tenant, mail, parsed, base);
    if (classification.kind === 'reply') {
      const earlier = await getCaseById(db, tenant.id, classification.caseRef.caseId);
      // A case registered by mistake and annulled takes nothing more: the message is a complaint of its own.
      if (earlier?.status === 'annulled') return await registerFromMail(deps, tenant, mail, parsed, base);
      // The case was answered or filed: the message opens a new case linked to it, never joins it silently; when
      // such a linked case is already open (a second message about the same answer), it joins that one.
      // An answered case takes no more information: a further message opens a new, linked case.
      if (earlier && isAnsweredCase(earlier.status)) {
        const open = await openCaseContesting(db, tenant.id, earlier.id);
        if (open)
          return await attachReply(deps, tenant, parsed, base, {
            kind: 'reply',
            reason: `${classification.reason}; ${earlier.number} is ${earlier.status}, its open linked case ${open.number} takes it`,
            caseRef: open,
          });
        return await registerFurtherMessage(deps, tenant, mail, parsed, base, classification, earlier);
      }
      return await attachReply(deps, tenant, parsed, base, classification);
    }
    if (classification.kind === 'operator_answer')
      return await recordOperatorAnswerMail(deps, tenant, parsed, base, classification);
    return await recordAutomatic(deps, tenant, parsed, base, classification);
  } catch (err) {
    if (err instanceof AlreadyRecordedError) return { status: 'duplicate' };
    throw err;
  }
}

/** The address to answer: From, else Reply-To, Sender, or the envelope sender the receiving server recorded. */
function senderOf(parsed: ParsedInbound): string | null {
  return (
    parsed.fromAddress ??
    firstAddress(parsed.header('reply-to')) ??
    firstAddress(parsed.header('sender')) ??
    firstAddress(parsed.header('return-path'))
  );
}

function firstAddress(header: string | null): string | null {
  return header ? (addressesIn(header)[0] ?? null) : null;
}

type InboundBase = Omit<Parameters<typeof insertInbound>[1], 'kind'>;

async function registerFromMail(
  deps: IntakeDeps,
  tenant: IntakeTenant,
  mail: IncomingMail,
  parsed: ParsedInbound,
  base: InboundBase,
): Promise<ProcessOutcome> {
  // The forwarded messages are read too: a relative forwarding the consumer's e-mail, the POD is in there.
  const ident = await identifySender(deps.db, tenant.id, {
    fromAddress: base.fromAddress,
    fromName: parsed.fromName,
    subject: parsed.subject,
    text: base.textBody,
  });
  const match = ident.match;
  // Nobody to answer and no customer named by a code: an officer decides (it stays in the Quarantine folder).
  if (!base.fromAddress && !match)
    return quarantine(deps, tenant, mail, 'no sender address and no customer code', parsed);
  let inboundId = '';
  const reg = await registerComplaint(
    deps,
    {
      tenantId: tenant.id,
      channel: 'email',
      category: guessCategory(parsed.subject, base.textBody),
      // A referral from an authority's mailbox (ANRE, ANPC) has the authority as its source.
      ...authorityOf(base.fromAddress),
      subject: parsed.subject || '(fără subiect)',
      body: base.textBody || '(mesaj fără text; vezi atașamentele)',
      customerId: match?.customerId,
      placeId: match?.placeId ?? undefined,
      contactName: parsed.fromName ?? base.fromAddress ?? match?.customerName ?? 'Expeditor necunoscut',
      contactEmail: base.fromAddress ?? undefined,
      receivedAt: mail.arrivedAt,
      actor: { id: null, kind: 'system' },
    },
    {
      inTransaction: async (tx: Tx, c) => {
        inboundId = await insertInbound(tx, { ...base, kind: 'complaint', caseId: c.id }, parsed.attachments);
        await recordCandidates(
          tx,
          ident.candidates.map((k) => ({
            tenantId: tenant.id,
            inboundMessageId: inboundId,
            caseId: c.id,
            customerId: k.customerId,
            placeId: k.placeId,
            score: k.score,
            certain: k.certain,
            evidence: k.evidence,
          })),
        );
        await addCaseEvent(tx, {
          tenantId: tenant.id,
          caseId: c.id,
          type: match ? 'consumer_identified' : 'identification_needed',
          visibility: 'internal',
          message: match
            ? `Petentul a fost identificat automat după ${[...new Set(match.evidence.map((e) => evidenceLabel(e.kind)))].join(', ')}.`
            : ident.candidates.length
              ? `Petentul trebuie confirmat: ${ident.candidates.length} candidați propuși.`
              : 'Petentul nu a putut fi identificat automat.',
        });
        await noteRecoveredText(tx, tenant.id, c.id, parsed);
      },
    },
  );
  return { status: 'registered', inboundId, caseId: reg.id, number: reg.number, identified: !!match };
}

/** Tells the officer when the words were read from a broken MIME structure, so they check the original. */
async function noteRecoveredText(tx: Tx, tenantId: string, caseId: string, parsed: ParsedInbound) {
  if (!parsed.textRecovered) return;
  await addCaseEvent(tx, {
    tenantId,
    caseId,
    type: 'text_recovered',
    visibility: 'internal',
    message:
      'Structura MIME a mesajului era deteriorată; textul a fost recuperat din conținutul brut al mesajului. ' +
      'Verificați mesajul original (atașat la dosar) pentru eventuale atașamente.',
  });
}

/**
 * The consumer wrote again about a case already answered or filed (a reply to our answer, a follow-up naming the
 * case): a NEW case through the one registration door, linked to the earlier one as contestations are
 * (`contestsCaseId`; category "handling of earlier complaints", Order 16/2015 art. 2(1)(i)). At triage the officer
 * keeps it as a contestation (IL-34) or reclassifies it as a new complaint, or files it as not a complaint. The
 * earlier case is never reopened or changed; both timelines say what happened, and the acknowledgement of the
 * new case tells the consumer its number and the link to the first.
 */
async function registerFurtherMessage(
  deps: IntakeDeps,
  tenant: IntakeTenant,
  mail: IncomingMail,
  parsed: ParsedInbound,
  base: InboundBase,
  c: Extract<Classification, { kind: 'reply' }>,
  earlier: Case,
): Promise<ProcessOutcome> {
  let inboundId = '';
  const statusLabel = CASE_STATUS_LABELS[earlier.status].toLowerCase();
  const reg = await registerComplaint(
    deps,
    {
      tenantId: tenant.id,
      channel: 'email',
      category: CONTEST_CATEGORY,
      subject: parsed.subject || `Mesaj ulterior privind reclamația nr. ${earlier.number}`,
      body: base.textBody || '(mesaj fără text; vezi atașamentele)',
      customerId: earlier.customerId ?? undefined,
      placeId: earlier.placeId ?? undefined,
      contactName: parsed.fromName ?? earlier.contactName,
      contactEmail: base.fromAddress ?? earlier.contactEmail ?? undefined,
      contactPhone: earlier.contactPhone ?? undefined,
      receivedAt: mail.arrivedAt,
      actor: { id: null, kind: 'system' },
    },
    {
      inTransaction: async (tx: Tx, n) => {
        await setContestedCase(tx, tenant.id, n.id, earlier.id);
        inboundId = await insertInbound(
          tx,
          {
            ...base,
            kind: 'complaint',
            reason: `further message to ${earlier.number} (${earlier.status}); ${c.reason}`,
            caseId: n.id,
          },
          parsed.attachments,
        );
        await addCaseEvent(tx, {
          tenantId: tenant.id,
          caseId: n.id,
          type: 'further_message',
          visibility: 'public',
          message:
            `Mesajul dumneavoastră privește reclamația nr. ${earlier.number} (${statusLabel}); a fost înregistrat ` +
            `ca reclamație nouă, legată de aceasta. Stabilim dacă este o contestație a răspunsului sau o reclamație nouă.`,
        });
        await addCaseEvent(tx, {
          tenantId: tenant.id,
          caseId: earlier.id,
          type: 'further_message_registered',
          visibility: 'public',
          message: `Un mesaj ulterior al dumneavoastră a fost înregistrat ca reclamație nouă, nr. ${n.number}.`,
        });
        await appendAudit(tx, {
          tenantId: tenant.id,
          actorKind: 'system',
          action: 'case.further_message_registered',
          entityType: 'case',
          entityId: earlier.id,
          details: {
            earlier: earlier.number,
            newCase: n.number,
            inboundMessageId: inboundId,
            channel: 'email',
          },
        });
        await noteRecoveredText(tx, tenant.id, n.id, parsed);
      },
    },
  );
  return {
    status: 'further_message',
    inboundId,
    caseId: reg.id,
    number: reg.number,
    earlier: { caseId: earlier.id, number: earlier.number, status: earlier.status },
  };
}

async function attachReply(
  deps: IntakeDeps,
  tenant: IntakeTenant,
  parsed: ParsedInbound,
  base: InboundBase,
  c: Extract<Classification, { kind: 'reply' }>,
): Promise<ProcessOutcome> {
  const inboundId = await deps.db.transaction(async (tx) => {
    const id = await insertInbound(
      tx,
      {
        ...base,
        kind: 'reply',
        reason: c.reason,
        caseId: c.caseRef.caseId,
        // Committed with the message: if the engine cannot take it now, the retry loop correlates it later.
        pendingMessage: MESSAGES.consumerAddedInformation,
        nextCorrelationAt: inlineLease(),
      },
      parsed.attachments,
    );
    await addCaseEvent(tx, {
      tenantId: tenant.id,
      caseId: c.caseRef.caseId,
      type: 'consumer_added_information',
      visibility: 'public',
      message: 'Ați transmis informații suplimentare prin e-mail; au fost atașate la dosar.',
    });
    await appendAudit(tx, {
      tenantId: tenant.id,
      actorKind: 'system',
      action: 'case.information_added',
      entityType: 'case',
      entityId: c.caseRef.caseId,
      details: { inboundMessageId: id, channel: 'email' },
    });
    await noteRecoveredText(tx, tenant.id, c.caseRef.caseId, parsed);
    return id;
  });
  const correlated = (await correlateInbound(deps, inboundId)) === true;
  return { status: 'reply', inboundId, caseId: c.caseRef.caseId, number: c.caseRef.number, correlated };
}

/**
 * The distribution operator answered one of our requests (our reference in the subject, or In-Reply-To one of our
 * request e-mails, from the operator's mail domain): the message joins the case, the request is marked answered
 * and the waiting process gets `operator-answered`. No new case, no acknowledgement.
 */
async function recordOperatorAnswerMail(
  deps: IntakeDeps,
  tenant: IntakeTenant,
  parsed: ParsedInbound,
  base: InboundBase,
  c: Extract<Classification, { kind: 'operator_answer' }>,
): Promise<ProcessOutcome> {
  const req = c.request;
  let firstAnswer = false;
  const inboundId = await deps.db.transaction(async (tx) => {
    const id = await insertInbound(
      tx,
      { ...base, kind: 'operator_answer', reason: c.reason, caseId: req.caseId },
      parsed.attachments,
    );
    firstAnswer = await recordAnswerInTx(tx, {
      tenantId: tenant.id,
      request: { id: req.requestId, caseId: req.caseId, reference: req.reference },
      answerText: (parsed.text || '(răspuns fără text; vezi atașamentele)').slice(0, 20000),
      actor: { id: null, kind: 'system' },
      details: { inboundMessageId: id, channel: 'email' },
    });
    if (firstAnswer) {
      await setPendingMessage(tx, id, MESSAGES.operatorAnswered, inlineLease());
    } else {
      await addCaseEvent(tx, {
        tenantId: tenant.id,
        caseId: req.caseId,
        type: 'operator_answered_again',
        visibility: 'internal',
        message: `Operatorul de distribuție a trimis un nou mesaj la cererea ${req.reference} (deja răspunsă); a fost atașat la dosar.`,
      });
    }
    return id;
  });
  const correlated = firstAnswer ? (await correlateInbound(deps, inboundId)) === true : false;
  return {
    status: 'operator_answer',
    inboundId,
    caseId: req.caseId,
    number: req.number,
    reference: req.reference,
    firstAnswer,
    correlated,
  };
}

async function recordAutomatic(
  deps: IntakeDeps,
  tenant: IntakeTenant,
  parsed: ParsedInbound,
  base: InboundBase,
  c: Exclude<Classification, { kind: 'complaint' | 'reply' }>,
): Promise<ProcessOutcome> {
  const caseRef = c.kind === 'bounce' ? c.ourMessage : c.kind === 'auto_reply' ? c.caseRef : null;
  const inboundId = await deps.db.transaction(async (tx) => {
    const id = await insertInbound(
      tx,
      { ...base, kind: c.kind, reason: c.reason, caseId: caseRef?.caseId ?? null },
      parsed.attachments,
    );
    if (c.kind === 'bounce' && c.ourMessage) {
      const ours = c.ourMessage;
      await recordDeliveryFailure(tx, {
        tenantId: tenant.id,
        caseId: ours.caseId,
        inboundMessageId: id,
        messageKind: ours.messageKind,
        toAddress: ours.toAddress,
      });
      await addCaseEvent(tx, {
        tenantId: tenant.id,
        caseId: ours.caseId,
        type: 'email_undeliverable',
        visibility: 'internal',
        message: `Mesajul „${ours.messageKind}” nu a putut fi livrat prin e-mail; clientul nu a fost contactat: se transmite prin poștă.`,
      });
      await appendAudit(tx, {
        tenantId: tenant.id,
        actorKind: 'system',
        action: 'case.email_bounced',
        entityType: 'case',
        entityId: ours.caseId,
        details: { inboundMessageId: id, messageKind: ours.messageKind },
      });
    }
    return id;
  });
  if (c.kind === 'bounce' && c.ourMessage) {
    // The consumer was not reached: the letter joins the postal register at once. After the commit, so a PDF
    // that cannot be made never loses the bounce; the flag and the case event above stand either way.
    const { caseId, messageKind } = c.ourMessage;
    await queueLetterAfterBounce(deps.db, deps.secret, tenant.id, caseId, messageKind).catch((err: unknown) =>
      deps.log.warn({ err: (err as Error).message, caseId }, 'bounced mail: letter not queued'),
    );
  }
  return { status: 'ignored', inboundId, kind: c.kind, reason: c.reason, caseId: caseRef?.caseId ?? null };
}
