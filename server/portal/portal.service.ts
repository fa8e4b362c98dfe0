import { MESSAGES } from '../../processes/topics.ts';
import { recordAnswerCommunication } from '../deadlines/communication.ts';
import { appendAudit } from '../audit/index.ts';
import { addCaseEvent, listCaseEvents } from '../cases/cases.repo.ts';
import { contestAnswer } from '../cases/contest.service.ts';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { CASE_STATUS_LABELS } from '../codes/case-codes.ts';
import type { ComplaintCategory } from '../db/schema/index.ts';
import type { Tx } from '../db/client.ts';
import { getDocument, listDocuments } from '../documents/documents.repo.ts';
import { DomainError } from '../errors.ts';
import { getBlob, putBlob } from '../intake/mail/blob-store.ts';
import { correlateInbound, inlineLease } from '../intake/mail/correlation.ts';
import { insertInbound } from '../intake/mail/inbound.repo.ts';
import { registerComplaint, type RegisterDeps } from '../intake/register-complaint.ts';
import type { ConsumerPrincipal } from './portal-auth.service.ts';
import {
  countFailedLinkAttempts,
  findPlaceForLink,
  getFileOfCase,
  getOwnCase,
  insertFiles,
  insertLink,
  insertSubmission,
  listLinkedCustomers,
  listLinkedPlaces,
  listOwnCases,
  listSubmissionsOfCase,
  markSubmissionCorrelated,
  normaliseCode,
  recordLinkAttempt,
} from './portal.repo.ts';
import { checkFactors } from './link-proof.ts';
import { clientAddressHash } from './secrets.ts';
import type { CheckedFile } from './uploads.ts';

/**
 * Wrong tries at linking a customer account, counted over 24 hours: per portal account (e-mail address), per
 * customer code at the supplier (whatever the account or address) and per client address (whatever the account or
 * customer). Over any of them the answer is the one a wrong try gets.
 */
export const LINK_LIMITS = { perAccount: 5, perCustomer: 10, perAddress: 20 } as const;
export const LINK_WINDOW_MS = 24 * 60 * 60 * 1000;

const OPEN_STATUSES = new Set(['registered', 'in_progress']);

/** What the consumer types from the invoice: customer code and POD/CLC, and both second factors. */
export interface LinkProof {
  customerCode: string;
  placeCode: string;
  contractNumber: string;
  meterSerial: string;
}

export interface NewPortalComplaint {
  category: ComplaintCategory;
  subject: string;
  body: string;
  placeId?: string | undefined;
  customerId?: string | undefined;
  contactName?: string | undefined;
  contactPhone?: string | undefined;
}

const fileView = (f: {
  id: number;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: Date;
}) => ({
  id: f.id,
  fileName: f.fileName,
  contentType: f.contentType,
  size: f.size,
  sha256: f.sha256,
  createdAt: f.createdAt.toISOString(),
});

/**
 * The consumer portal's domain: link a customer account, see one's places and cases, submit a complaint (through
 * the one `registerComplaint`, channel portal), download one's documents, add information to an open case.
 * Every query is scoped by the session's tenant and account; a case that is not one's own does not exist.
 */
export function createPortalService(deps: RegisterDeps) {
  const { db } = deps;

  async function account(p: ConsumerPrincipal) {
    const [customers, places] = await Promise.all([
      listLinkedCustomers(db, p.tenantId, p.accountId),
      listLinkedPlaces(db, p.tenantId, p.accountId),
    ]);
    return {
      email: p.email,
      supplier: p.supplier,
      tenantCode: p.tenantCode,
      sessionExpiresAt: p.sessionExpiresAt.toISOString(),
      customers: customers.map((c) => ({ customerCode: c.customerCode, name: c.name })),
      placeCount: places.length,
    };
  }

  async function placesOf(p: ConsumerPrincipal) {
    const rows = await listLinkedPlaces(db, p.tenantId, p.accountId);
    if (rows.length)
      await appendAudit(db, {
        tenantId: p.tenantId,
        actorId: p.accountId,
        actorKind: 'consumer',
        action: 'portal.places_viewed',
        entityType: 'consumer_account',
        entityId: p.accountId,
        details: { places: rows.length },
      });
    return rows;
  }

  /**
   * Links a customer account when customer code, POD/CLC, contract number and meter serial all belong to the same
   * place of this supplier. Every failure gets one answer (PORTAL_LINK_REFUSED: same status, code and message),
   * whether the data was wrong, a limit was reached or the place on file lacks a factor, and takes the same path
   * (lookup, constant-time compare, attempt recorded, audit), so a caller cannot tell which (issue 13 item 5).
   */
  async function link(p: ConsumerPrincipal, proof: LinkProof, clientAddress: string) {
    if (!proof.contractNumber.trim() || !proof.meterSerial.trim())
      throw new DomainError('PORTAL_LINK_PROOF_REQUIRED');
    const customerCode = normaliseCode(proof.customerCode);
    const ipHash = clientAddressHash(deps.secret, clientAddress);
    const outcome = await db.transaction(async (tx) => {
      // One try at a time per account, per client address and per customer code, so parallel tries cannot pass a
      // count together. Taken in one order, so two tries sharing two keys cannot deadlock.
      const keys = [
        `portal-link:account:${p.accountId}`,
        `portal-link:address:${ipHash}`,
        `portal-link:customer:${p.tenantId}:${customerCode}`,
      ].sort();
      for (const key of keys)
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
      const failures = await countFailedLinkAttempts(tx, {
        tenantId: p.tenantId,
        accountId: p.accountId,
        ipHash,
        customerCode,
        since: new Date(Date.now() - LINK_WINDOW_MS),
      });
      const locked =
        failures.byAccount >= LINK_LIMITS.perAccount ||
        failures.byCustomer >= LINK_LIMITS.perCustomer ||
        failures.byAddress >= LINK_LIMITS.perAddress;
      // Looked up and compared also when locked, so a locked try takes as long as a wrong one.
      const place = await findPlaceForLink(tx, p.tenantId, proof.customerCode, proof.placeCode);
      const check = checkFactors(place, proof);
      const match = !locked && check === 'match' && place ? place : null;
      await recordLinkAttempt(tx, {
        tenantId: p.tenantId,
        accountId: p.accountId,
        ipHash,
        customerCode,
        success: match !== null,
      });
      if (match)
        await insertLink(tx, { accountId: p.accountId, customerId: match.customerId, tenantId: p.tenantId });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.accountId,
        actorKind: 'consumer',
        action: match ? 'portal.customer_linked' : 'portal.link_failed',
        entityType: 'consumer_account',
        entityId: p.accountId,
        // For the supplier's staff only: why a try failed (a place lacking a factor needs their attention).
        details: match
          ? { customerId: match.customerId, placeId: match.placeId }
          : { reason: locked ? 'limit_reached' : check, failures },
      });
      return match;
    });
    if (!outcome) throw new DomainError('PORTAL_LINK_REFUSED');
    const places = await listLinkedPlaces(db, p.tenantId, p.accountId);
    return { places: places.filter((x) => x.customerId === outcome.customerId) };
  }

  async function listCases(p: ConsumerPrincipal) {
    const rows = await listOwnCases(db, p.tenantId, p.accountId);
    return rows.map((c) => ({
      number: c.number,
      status: c.status,
      statusLabel: CASE_STATUS_LABELS[c.status] ?? c.status,
      category: c.category,
      subject: c.subject,
      channel: c.channel,
      placeCode: c.placeCode,
      receivedAt: c.receivedAt.toISOString(),
      dueDate: c.dueDate,
      open: OPEN_STATUSES.has(c.status),
    }));
  }

  async function ownCase(p: ConsumerPrincipal, number: string) {
    const c = await getOwnCase(db, p.tenantId, p.accountId, number);
    if (!c) throw new DomainError('CASE_NOT_FOUND', { number });
    return c;
  }

  /** One's own case: the public timeline, our documents, what one sent through the portal. The view is audited. */
  async function caseDetail(p: ConsumerPrincipal, number: string) {
    const c = await ownCase(p, number);
    const [events, documents, submissions] = await Promise.all([
      listCaseEvents(db, p.tenantId, c.id, true),
      listDocuments(db, p.tenantId, c.id),
      listSubmissionsOfCase(db, p.tenantId, c.id),
    ]);
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.accountId,
      actorKind: 'consumer',
      action: 'case.viewed',
      entityType: 'case',
      entityId: c.id,
      details: { channel: 'portal' },
    });
    return {
      number: c.number,
      status: c.status,
      statusLabel: CASE_STATUS_LABELS[c.status] ?? c.status,
      open: OPEN_STATUSES.has(c.status),
      category: c.category,
      subject: c.subject,
      body: c.body,
      channel: c.channel,
      placeCode: c.placeCode,
      placeAddress: c.address,
      receivedAt: c.receivedAt.toISOString(),
      registeredOn: c.registeredOn,
      dueDate: c.dueDate,
      answerSentAt: c.answerSentAt?.toISOString() ?? null,
      timeline: events.map((e) => ({ at: e.at.toISOString(), type: e.type, message: e.message })),
      documents: documents.map((d) => ({
        id: d.id,
        kind: d.kind,
        fileName: d.fileName,
        contentType: d.contentType,
        size: d.size,
        sha256: d.sha256,
        createdAt: d.createdAt.toISOString(),
      })),
      submissions: submissions.map((s) => ({
        id: s.id,
        kind: s.kind,
        text: s.text,
        createdAt: s.createdAt.toISOString(),
        files: s.files.map(fileView),
      })),
    };
  }

  async function document(p: ConsumerPrincipal, number: string, documentId: number) {
    const c = await ownCase(p, number);
    const doc = await getDocument(db, p.tenantId, c.id, documentId);
    if (!doc) throw new DomainError('NOT_FOUND', { documentId });
    // The consumer took the answer from the portal: it counts as communicated now, unless it already was.
    if (doc.kind === 'answer_letter')
      await recordAnswerCommunication(db, p.tenantId, c.id, new Date(), 'portal');
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.accountId,
      actorKind: 'consumer',
      action: 'document.downloaded',
      entityType: 'case',
      entityId: c.id,
      details: { documentId, sha256: doc.sha256, channel: 'portal' },
    });
    return { fileName: doc.fileName, contentType: doc.contentType, content: doc.content };
  }

  async function file(p: ConsumerPrincipal, number: string, fileId: number) {
    const c = await ownCase(p, number);
    const f = await getFileOfCase(db, p.tenantId, c.id, fileId);
    const content = f ? await getBlob(db, p.tenantId, f.sha256) : null;
    if (!f || !content) throw new DomainError('NOT_FOUND', { fileId });
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.accountId,
      actorKind: 'consumer',
      action: 'portal.file_downloaded',
      entityType: 'case',
      entityId: c.id,
      details: { fileId, sha256: f.sha256 },
    });
    return { fileName: f.fileName, contentType: f.contentType, content };
  }

  /** The bytes first, content-addressed and idempotent (an orphan blob after a crash is harmless). */
  async function storeBlobs(tenantId: string, files: CheckedFile[]) {
    for (const f of files) await putBlob(db, tenantId, f.content, f.sha256);
  }

  async function recordSubmission(
    tx: Tx,
    p: ConsumerPrincipal,
    s: { caseId: string; kind: 'complaint' | 'information'; text: string; files: CheckedFile[] },
  ) {
    const submissionId = await insertSubmission(tx, {
      tenantId: p.tenantId,
      caseId: s.caseId,
      accountId: p.accountId,
      kind: s.kind,
      text: s.text,
    });
    const stored = await insertFiles(
      tx,
      s.files.map((f) => ({
        tenantId: p.tenantId,
        submissionId,
        caseId: s.caseId,
        sha256: f.sha256,
        fileName: f.fileName,
        contentType: f.contentType,
        size: f.size,
      })),
    );
    if (stored.length)
      await addCaseEvent(tx, {
        tenantId: p.tenantId,
        caseId: s.caseId,
        type: 'portal_files',
        visibility: 'internal',
        message: `Fișiere primite prin portal: ${stored.map((f) => `${f.fileName} (${f.contentType}, SHA-256 ${f.sha256.slice(0, 12)}…)`).join('; ')}.`,
      });
    return { submissionId, files: stored };
  }

  /**
   * What the consumer sent, recorded the way the e-mail intake records what arrives (an inbound message with its
   * attachments), so officers find portal submissions where they find e-mails. The "raw" bytes of a portal
   * submission are its canonical JSON, stored content-addressed like a raw e-mail.
   */
  async function recordInbound(
    tx: Tx,
    p: ConsumerPrincipal,
    s: {
      caseId: string;
      number: string;
      submissionId: string;
      kind: 'complaint' | 'reply';
      subject: string;
      text: string;
      files: CheckedFile[];
      at: Date;
      pendingMessage: string | null;
    },
  ) {
    const raw = Buffer.from(
      JSON.stringify({
        channel: 'portal',
        case: s.number,
        account: p.accountId,
        at: s.at.toISOString(),
        subject: s.subject,
        text: s.text,
        files: s.files.map((f) => ({
          fileName: f.fileName,
          contentType: f.contentType,
          size: f.size,
          sha256: f.sha256,
        })),
      }),
    );
    const rawSha256 = createHash('sha256').update(raw).digest('hex');
    await putBlob(tx, p.tenantId, raw, rawSha256);
    return insertInbound(
      tx,
      {
        tenantId: p.tenantId,
        messageId: null,
        rawSha256,
        dedupeKey: `portal|${s.submissionId}`,
        size: raw.length,
        arrivedAt: s.at,
        fromAddress: p.email,
        fromName: null,
        subject: s.subject,
        textBody: s.text,
        safeHtml: null,
        kind: s.kind,
        reason: 'portal',
        caseId: s.caseId,
        pendingMessage: s.pendingMessage,
        nextCorrelationAt: s.pendingMessage ? inlineLease() : null,
      },
      s.files.map((f) => ({
        content: f.content,
        sha256: f.sha256,
        filename: f.fileName,
        contentType: f.contentType,
        size: f.size,
        disposition: 'attachment' as const,
        contentId: null,
      })),
    );
  }

  /**
   * A complaint from the portal, for a place of a linked customer account, about the contract (the customer
   * account), or, without a linked account, from the person alone. It ends in the one `registerComplaint`.
   */
  async function submitComplaint(p: ConsumerPrincipal, input: NewPortalComplaint, files: CheckedFile[]) {
    const places = await listLinkedPlaces(db, p.tenantId, p.accountId);
    const customers = await listLinkedCustomers(db, p.tenantId, p.accountId);
    let customerId: string | undefined;
    let placeId: string | undefined;
    if (input.placeId) {
      const place = places.find((x) => x.id === input.placeId);
      if (!place) throw new DomainError('PORTAL_PLACE_NOT_LINKED');
      placeId = place.id;
      customerId = place.customerId;
    } else if (input.customerId) {
      if (!customers.some((c) => c.id === input.customerId)) throw new DomainError('PORTAL_PLACE_NOT_LINKED');
      customerId = input.customerId;
    } else if (customers.length === 1) {
      customerId = customers[0]!.id;
    }
    if (!customerId && !input.contactName?.trim()) throw new DomainError('PORTAL_NAME_REQUIRED');

    await storeBlobs(p.tenantId, files);
    const receivedAt = new Date();
    let stored: Awaited<ReturnType<typeof recordSubmission>>['files'] = [];
    const reg = await registerComplaint(
      deps,
      {
        tenantId: p.tenantId,
        channel: 'portal',
        category: input.category,
        subject: input.subject.trim(),
        body: input.body,
        customerId,
        placeId,
        contactName: input.contactName?.trim() || undefined,
        // The portal address is proven by the one-time code: answers go there.
        contactEmail: p.email,
        contactPhone: input.contactPhone?.trim() || undefined,
        actor: { id: p.accountId, kind: 'consumer' },
        receivedAt,
      },
      {
        inTransaction: async (tx, c) => {
          const r = await recordSubmission(tx, p, {
            caseId: c.id,
            kind: 'complaint',
            text: input.body,
            files,
          });
          await recordInbound(tx, p, {
            caseId: c.id,
            number: c.number,
            submissionId: r.submissionId,
            kind: 'complaint',
            subject: input.subject.trim(),
            text: input.body,
            files,
            at: receivedAt,
            pendingMessage: null,
          });
          stored = r.files;
        },
      },
    );
    return {
      number: reg.number,
      receivedAt: reg.receivedAt,
      registeredOn: reg.registeredOn,
      dueDate: reg.dueDate,
      accessCode: reg.accessCode,
      files: stored.map(fileView),
    };
  }

  /**
   * Information added to an open case. It goes the way a consumer's e-mail reply goes, through the same service:
   * an inbound message (kind reply, reason portal) with its attachments, committed together with the message the
   * process waits for ("consumer added information"), correlated at once by the intake's `correlateInbound`, and
   * retried by the intake's loop when the engine is away. Officers see it where they see e-mail replies.
   */
  async function addInformation(p: ConsumerPrincipal, number: string, text: string, files: CheckedFile[]) {
    const c = await ownCase(p, number);
    if (!OPEN_STATUSES.has(c.status)) throw new DomainError('CASE_CLOSED', { number });
    await storeBlobs(p.tenantId, files);
    const at = new Date();
    const recorded = await db.transaction(async (tx) => {
      const r = await recordSubmission(tx, p, { caseId: c.id, kind: 'information', text, files });
      const inboundId = await recordInbound(tx, p, {
        caseId: c.id,
        number: c.number,
        submissionId: r.submissionId,
        kind: 'reply',
        subject: `Completare prin portal la reclamația ${c.number}`,
        text,
        files,
        at,
        // Committed with the submission: if the engine cannot take it now, the intake's loop correlates it later.
        pendingMessage: MESSAGES.consumerAddedInformation,
      });
      await addCaseEvent(tx, {
        tenantId: p.tenantId,
        caseId: c.id,
        type: 'consumer_added_information',
        visibility: 'public',
        message: 'Ați transmis informații suplimentare prin portal; au fost atașate la dosar.',
      });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.accountId,
        actorKind: 'consumer',
        action: 'case.information_added',
        entityType: 'case',
        entityId: c.id,
        details: {
          submissionId: r.submissionId,
          inboundMessageId: inboundId,
          channel: 'portal',
          files: r.files.length,
        },
      });
      return { ...r, inboundId };
    });
    // true: correlated; false: no process waits for it; null: the engine was away, the intake's loop retries.
    const outcome = await correlateInbound(deps, recorded.inboundId);
    await markSubmissionCorrelated(db, recorded.submissionId, outcome);
    return {
      number: c.number,
      submissionId: recorded.submissionId,
      correlated: outcome === true,
      pending: outcome === null,
      files: recorded.files.map(fileView),
    };
  }

  /**
   * The consumer does not accept the answer: a new, linked case through the cases module's `contestAnswer` (the
   * original stays as it was). Recorded as the account's portal submission, so it is among "my cases" even when
   * no customer account is linked.
   */
  async function contest(p: ConsumerPrincipal, number: string, text: string) {
    const c = await ownCase(p, number);
    const registered = await contestAnswer(deps, {
      tenantId: p.tenantId,
      number: c.number,
      channel: 'portal',
      body: text,
      contactEmail: p.email,
      actor: { id: p.accountId, kind: 'consumer' },
    });
    await insertSubmission(db, {
      tenantId: p.tenantId,
      caseId: registered.id,
      accountId: p.accountId,
      kind: 'complaint',
      text,
    });
    return {
      number: registered.number,
      registeredOn: registered.registeredOn,
      dueDate: registered.dueDate,
      contests: c.number,
    };
  }

  return {
    account,
    placesOf,
    link,
    listCases,
    caseDetail,
    document,
    file,
    submitComplaint,
    addInformation,
    contest,
  };
}

export type PortalService = ReturnType<typeof createPortalService>;
