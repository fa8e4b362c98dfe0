import { MESSAGES } from '../../../processes/topics.ts';
import { appendAudit } from '../../audit/audit.repo.ts';
import { addCaseEvent, getCaseByNumber } from '../../cases/cases.repo.ts';
import { queueLetterAfterBounce } from '../../documents/documents.service.ts';
import type { Tx } from '../../db/client.ts';
import type { InboundKind } from '../../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { inboundMessages } from '../../db/schema/index.ts';
import { insertCandidates } from '../../identification/identification.repo.ts';
import { requestByReferenceOrMessageId } from '../../operator-requests/operator-requests.repo.ts';
import { recordAnswerInTx } from '../../operator-requests/operator-requests.service.ts';
import { identifySender } from '../../identification/identify.ts';
import { registerComplaint, type RegisterDeps } from '../register-complaint.ts';
import { putBlob } from './blob-store.ts';
import { classifyMessage, type Classification } from './classify.ts';
import { guessCategory } from './guess-category.ts';
import {
  AlreadyRecordedError,
  findInbound,
  findOutgoingByMessageId,
  insertInbound,
  recordDeliveryFailure,
  recordQuarantine,
} from './inbound.repo.ts';
import { correlateInbound, inlineLease } from './correlation.ts';
import { parseMessage, sha256Hex, UnparseableMessageError, type ParsedInbound } from './parse-message.ts';

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
  const rawSha = sha256Hex(mail.raw);
  const dedupeKey = `${parsed.messageId ?? ''}|${rawSha}`;
  if (await findInbound(db, tenant.id, dedupeKey)) return { status: 'duplicate' };

  const classification = await classifyMessage(parsed, mail.raw, {
    tenantCode: tenant.code,
    operatorEmail: tenant.operatorEmail ?? null,
    async findOperatorRequest(q) {
      const r = await requestByReferenceOrMessageId(db, tenant.id, q);
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
    textBody: parsed.text,
    safeHtml: parsed.safeHtml,
  };

  try {
    if (classification.kind === 'complaint') return await registerFromMail(deps, tenant, mail, parsed, base);
    if (classification.kind === 'reply') return await attachReply(deps, tenant, parsed, base, classification);
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
  const m = header?.match(/[^\s<>"',;]+@[^\s<>"',;]+/);
  return m ? m[0].toLowerCase() : null;
}

type InboundBase = Omit<Parameters<typeof insertInbound>[1], 'kind'>;

async function registerFromMail(
  deps: IntakeDeps,
  tenant: IntakeTenant,
  mail: IncomingMail,
  parsed: ParsedInbound,
  base: InboundBase,
): Promise<ProcessOutcome> {
  const ident = await identifySender(deps.db, tenant.id, {
    fromAddress: base.fromAddress,
    fromName: parsed.fromName,
    subject: parsed.subject,
    text: parsed.text,
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
      category: guessCategory(parsed.subject, parsed.text),
      subject: parsed.subject || '(fără subiect)',
      body: parsed.text || '(mesaj fără text; vezi atașamentele)',
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
        await insertCandidates(
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
            ? `Petentul a fost identificat automat (${match.evidence.map((e) => e.kind).join(', ')}).`
            : ident.candidates.length
              ? `Petentul trebuie confirmat: ${ident.candidates.length} candidați propuși.`
              : 'Petentul nu a putut fi identificat automat.',
        });
      },
    },
  );
  return { status: 'registered', inboundId, caseId: reg.id, number: reg.number, identified: !!match };
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
      await tx
        .update(inboundMessages)
        .set({ pendingMessage: MESSAGES.operatorAnswered, nextCorrelationAt: inlineLease() })
        .where(eq(inboundMessages.id, id));
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
