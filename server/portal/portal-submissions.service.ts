import { MESSAGES } from '../../processes/topics.ts';
import { appendAudit } from '../audit/index.ts';
import { addCaseEvent } from '../cases/index.ts';
import { contestAnswer, correlateInbound, registerComplaint, type RegisterDeps } from '../intake/index.ts';
import type { ComplaintCategory } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import type { ConsumerPrincipal } from './portal-auth.service.ts';
import { findOwnCase } from './portal-case-view.service.ts';
import { insertSubmission, markSubmissionCorrelated } from './portal-cases.repo.ts';
import { listLinkedCustomers, listLinkedPlaces } from './portal-links.repo.ts';
import { stageUpload } from '../documents/index.ts';
import { discardFiles, fileView, recordInbound, recordSubmission, storeBlobs } from './portal-records.ts';
import type { CheckedFile, IncomingFile } from './uploads.ts';
import { isOpenCase } from '../codes/case-codes.ts';

export interface NewPortalComplaint {
  category: ComplaintCategory;
  subject: string;
  body: string;
  placeId?: string | undefined;
  customerId?: string | undefined;
  contactName?: string | undefined;
  contactPhone?: string | undefined;
}

/** What the consumer sends through the portal: a new complaint, information for an open case, a contestation. */
export function createPortalSubmissionsService(deps: RegisterDeps) {
  const { db } = deps;

  /**
   * Reads one file of a form into the store while it streams (never whole in memory); `limit` is what it may
   * still take. Fails with documents' UploadTooLargeError at the first byte past it, having deleted what it wrote.
   */
  async function receiveFile(
    p: ConsumerPrincipal,
    fileName: string,
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    limit: number,
  ): Promise<IncomingFile> {
    return { fileName, upload: await stageUpload(db, p.tenantId, source, limit) };
  }

  /** Files of a submission that failed: what was read of them goes (files already kept stay). */
  function discardReceived(p: ConsumerPrincipal, files: IncomingFile[]): Promise<void> {
    return discardFiles(db, p.tenantId, files);
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
    } else if (customers.length > 1) {
      // Several linked accounts: which one the complaint is about cannot be guessed (asking for a name would mislead).
      throw new DomainError(
        'VALIDATION_FAILED',
        { field: 'placeId' },
        'Aveți mai multe conturi de client asociate: alegeți locul de consum sau contul la care se referă reclamația.',
      );
    }
    if (!customerId && !input.contactName?.trim()) throw new DomainError('PORTAL_NAME_REQUIRED');

    await storeBlobs(db, p.tenantId, files);
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
    const c = await findOwnCase(db, p, number);
    if (!isOpenCase(c.status)) throw new DomainError('CASE_CLOSED', { number });
    await storeBlobs(db, p.tenantId, files);
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
    const c = await findOwnCase(db, p, number);
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

  return { receiveFile, discardReceived, submitComplaint, addInformation, contest };
}
