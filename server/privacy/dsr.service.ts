/**
 * GDPR data-subject requests (createDsrService below): register, start the verify-gdpr process, extend, answer with
 * its letter, list and view. One file although past 300 lines: one request's life, each step reading the same
 * request row and writing its letter, audit and process task the same way.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Db, DbOrTx } from '../db/client.ts';
import type { DataSubjectRequest } from '../db/schema/index.ts';
import type { EngineClient } from '../engine/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit } from '../audit/index.ts';
import type { Principal } from '../auth/index.ts';
import { businessClock, endOfBusinessDay, type IsoDate } from '../deadlines/index.ts';
import { letterheadOf, renderPdf } from '../documents/index.ts';
import { getCustomer } from '../customers/index.ts';
import { addCaseEvent, cancelPendingStart, fileCaseAsGdprRequest, getCaseByNumber } from '../cases/index.ts';
import { getTenant } from '../tenants/index.ts';
import { isOpenCase } from '../codes/case-codes.ts';
import { deliveryChannel } from '../codes/delivery.ts';
import {
  DPO_ROLE,
  type DataSubjectRight,
  type DsrChannel,
  type DsrDocumentKind,
  type DsrOutcome,
} from '../codes/privacy-codes.ts';
import { dsrLetter, DSR_FILE_NAMES } from './letters.ts';
import type { Mailer } from '../mail/mailer.ts';
import { renderMail, roDate } from '../mail/templates/render.ts';
import { queueDsrLetterForPost } from './dsr-postal.ts';
import {
  answerRequest,
  documentOfRequest,
  documentsOfRequest,
  extendRequest,
  insertDocument,
  insertRequest,
  listRequests,
  requestByNumber,
  setProcessInstance,
} from './dsr.repo.ts';

/** The GDPR request process (processes/verify-gdpr.bpmn). */
export const GDPR_PROCESS_KEY = 'verify-gdpr';

/** Only the tenant's data-protection officer (job role DPO in the organisation chart) handles GDPR matters. */
export function requireDpo(p: Principal): void {
  if (!p.jobRoles.includes(DPO_ROLE)) throw new DomainError('GDPR_DPO_ONLY');
}

/**
 * `date` plus `months` calendar months: the same day of the month, or the month's last day when it has none
 * (domain-research §5: GDPR months). Not moved to a working day: art. 12(3) counts months, and the earlier reading
 * protects the person.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = m - 1 + months;
  const ny = y + Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${ny}-${pad(nm + 1)}-${pad(Math.min(d, last))}`;
}

export interface RegisterDsrInput {
  right: DataSubjectRight;
  channel: DsrChannel;
  details: string;
  customerId?: string | undefined;
  contactName?: string | undefined;
  contactEmail?: string | undefined;
  contactPhone?: string | undefined;
  /** When it reached us (a letter received earlier, a misfiled e-mail): the month runs from receipt. */
  receivedAt?: Date | undefined;
  fromCaseId?: string | undefined;
  fromInboundMessageId?: string | undefined;
}

export interface DsrDeps {
  db: Db;
  engine: EngineClient;
  log: { warn(obj: object | string, msg?: string): void };
  /** Sends each letter to the person's e-mail address as a PDF attachment (without one, the letter goes by post). */
  mailer?: Mailer | undefined;
  /**
   * Carries out an erasure (art. 17) where the law allows it (server/retention): given by the entry point that
   * builds this service, because the erasure reaches every module's rows and privacy sits below them.
   */
  erase?: ((r: DataSubjectRequest, actorId: string) => Promise<ErasureResult>) | undefined;
}

/** What an erasure did: the cases erased, those kept, and the reason given for keeping them. */
export interface ErasureResult {
  erased: string[];
  kept: string[];
  reason: string;
}

const MAIL_TITLES: Record<DsrDocumentKind, string> = {
  acknowledgement: 'Am primit cererea dumneavoastră privind datele personale',
  extension_notice: 'Prelungirea termenului de răspuns la cererea privind datele personale',
  answer: 'Răspuns la cererea dumneavoastră privind datele personale',
};

export function createDsrService(deps: DsrDeps) {
  const { db, engine } = deps;

  async function byNumber(tenantId: string, number: string): Promise<DataSubjectRequest> {
    const r = await requestByNumber(db, tenantId, number);
    if (!r) throw new DomainError('GDPR_REQUEST_NOT_FOUND', { number });
    return r;
  }

  async function issueLetter(r: DataSubjectRequest, kind: DsrDocumentKind, tx: DbOrTx = db) {
    const tenant = await getTenant(tx, r.tenantId);
    const customer = r.customerId ? await getCustomer(tx, r.tenantId, r.customerId) : null;
    const pdf = await renderPdf(
      dsrLetter(kind, letterheadOf(tenant!), r, {
        issuedOn: businessClock(new Date()).date,
        address: customer?.address ?? null,
      }),
    );
    const docId = await insertDocument(tx, {
      tenantId: r.tenantId,
      requestId: r.id,
      kind,
      fileName: DSR_FILE_NAMES[kind](r.number),
      sha256: createHash('sha256').update(pdf).digest('hex'),
      size: pdf.length,
      content: pdf,
    });
    if (docId === null) return; // issued before: it went out then
    // Sent once, when first issued, by e-mail when the person gave an address; otherwise (or when the send
    // fails) the letter is queued for the post, like a complaint letter, so the person is still informed.
    if (deliveryChannel(r) === 'email' && deps.mailer && (await deliver(r, kind, pdf, tenant!.name))) return;
    await queueDsrLetterForPost(tx, r, { id: docId, kind }, customer?.address ?? null);
  }

  async function deliver(
    r: DataSubjectRequest,
    kind: DsrDocumentKind,
    pdf: Buffer,
    supplier: string,
  ): Promise<boolean> {
    try {
      const title = MAIL_TITLES[kind];
      const mail = await renderMail({
        supplier,
        title,
        blocks: [
          { heading: title },
          {
            facts: [
              { label: 'Număr de înregistrare', value: r.number },
              { label: 'Termen de răspuns', value: roDate(r.dueDate), strong: true },
            ],
          },
          {
            text: 'Scrisoarea este atașată acestui mesaj (PDF). Cererea nu este tratată ca reclamație: o soluționează responsabilul cu protecția datelor.',
          },
          { text: 'Temei legal: Regulamentul (UE) 2016/679, art. 12 alin. (3).', small: true },
        ],
      });
      await deps.mailer!.send({
        to: r.contactEmail!,
        subject: `${title} – nr. ${r.number}`,
        ...mail,
        messageId: `<${kind}.${r.id}@reclamatii.gdpr>`,
        attachments: [
          { filename: DSR_FILE_NAMES[kind](r.number), content: pdf, contentType: 'application/pdf' },
        ],
      });
      await appendAudit(db, {
        tenantId: r.tenantId,
        actorKind: 'system',
        action: 'gdpr_request.letter_sent',
        entityType: 'gdpr_request',
        entityId: r.id,
        details: { kind, channel: 'email' },
      });
      return true;
    } catch (err) {
      deps.log.warn(
        { err: (err as Error).message, request: r.number, kind },
        'GDPR letter not sent by e-mail; queued for the post',
      );
      return false;
    }
  }

  /** Starts the request's process once; a request registered while the engine was down is started later. */
  async function ensureProcess(r: DataSubjectRequest): Promise<string | null> {
    if (r.processInstanceId) return r.processInstanceId;
    try {
      const existing = await engine.findHistoricProcessInstances({
        businessKey: r.number,
        tenantId: r.tenantId,
        processDefinitionKey: GDPR_PROCESS_KEY,
      });
      const id =
        existing[0]?.id ??
        (
          await engine.startProcess({
            key: GDPR_PROCESS_KEY,
            tenantId: r.tenantId,
            businessKey: r.number,
            variables: { requestId: r.id, right: r.right, dueAt: endOfBusinessDay(r.dueDate) },
          })
        ).id;
      await setProcessInstance(db, r.id, id);
      return id;
    } catch (err) {
      deps.log.warn({ err: (err as Error).message, request: r.number }, 'GDPR process start deferred');
      return null;
    }
  }

  /** Completes the DPO's open task with the decision (the process loops back on an extension). */
  async function completeTask(r: DataSubjectRequest, variables: Record<string, string>) {
    const instanceId = await ensureProcess(r);
    if (!instanceId) return false;
    const [task] = await engine.queryTasks(
      { tenantIdIn: [r.tenantId], processInstanceId: instanceId },
      { firstResult: 0, maxResults: 1 },
    );
    if (!task) return false;
    await engine.complete(task.id, variables);
    return true;
  }

  /**
   * Registers a data-subject request from any channel: its own number `<TENANT>-GDPR-<YYYY>-<NNNNNN>` (gapless per
   * tenant and year, a counter row locked only inside this statement), due one month after receipt, the
   * acknowledgement letter, the audit entry; then its process starts.
   */
  async function register(tenantId: string, actorId: string | null, input: RegisterDsrInput) {
    const receivedAt = input.receivedAt ?? new Date();
    const { date: receivedOn, year } = businessClock(receivedAt);
    const customer = input.customerId ? await getCustomer(db, tenantId, input.customerId) : null;
    if (input.customerId && !customer)
      throw new DomainError('CUSTOMER_NOT_FOUND', { customerId: input.customerId });
    const contactName = input.contactName?.trim() || customer?.name;
    const contactEmail = input.contactEmail?.trim().toLowerCase() || customer?.email || null;
    const contactPhone = input.contactPhone?.trim() || customer?.phone || null;
    if (!contactName || (!contactEmail && !contactPhone && !customer))
      throw new DomainError('CONTACT_REQUIRED');
    const id = randomUUID();
    const dueDate = addMonths(receivedOn, 1);
    const request = await db.transaction(async (tx) => {
      const t = await getTenant(tx, tenantId);
      if (!t) throw new DomainError('NOT_FOUND');
      const r = await insertRequest(tx, t.code, year, {
        id,
        tenantId,
        right: input.right,
        channel: input.channel,
        customerId: customer?.id ?? null,
        contactName,
        contactEmail,
        contactPhone,
        details: input.details,
        receivedAt,
        dueDate,
        fromCaseId: input.fromCaseId ?? null,
        fromInboundMessageId: input.fromInboundMessageId ?? null,
        createdBy: actorId,
      });
      const number = r.number;
      await appendAudit(tx, {
        tenantId,
        actorId,
        actorKind: actorId ? 'user' : 'consumer',
        action: 'gdpr_request.registered',
        entityType: 'gdpr_request',
        entityId: id,
        details: { number, right: input.right, channel: input.channel, dueDate },
      });
      return r;
    });
    await issueLetter(request, 'acknowledgement');
    const instanceId = await ensureProcess(request);
    return { ...view(request), processStarted: instanceId !== null };
  }

  /**
   * A complaint case registered for what is in fact a GDPR request (a misfiled e-mail, a call logged wrongly):
   * the request is registered with the case's receipt time (the month runs from receipt), the case is filed as
   * `kind = gdpr_request` (never counted as a complaint) and its complaint process stops.
   */
  async function fromCase(p: Principal, caseNumber: string, right: DataSubjectRight) {
    requireDpoOrOfficer(p);
    const c = (await getCaseByNumber(db, p.tenantId, caseNumber))?.case;
    if (!c) throw new DomainError('CASE_NOT_FOUND', { number: caseNumber });
    if (!isOpenCase(c.status) || c.kind === 'gdpr_request')
      throw new DomainError('GDPR_CASE_NOT_CONVERTIBLE');
    const registered = await register(p.tenantId, p.userId, {
      right,
      channel:
        c.channel === 'portal'
          ? 'portal'
          : c.channel === 'call_center'
            ? 'call_center'
            : c.channel === 'email'
              ? 'email'
              : 'staff',
      details: c.body,
      customerId: c.customerId ?? undefined,
      contactName: c.contactName,
      contactEmail: c.contactEmail ?? undefined,
      contactPhone: c.contactPhone ?? undefined,
      receivedAt: c.receivedAt,
      fromCaseId: c.id,
    });
    const now = new Date();
    await db.transaction(async (tx) => {
      await fileCaseAsGdprRequest(tx, p.tenantId, c.id, { requestNumber: registered.number, at: now });
      await cancelPendingStart(tx, c.id, 'converted to a GDPR request', now);
      await addCaseEvent(tx, {
        tenantId: p.tenantId,
        caseId: c.id,
        type: 'gdpr_request',
        visibility: 'public',
        message: `Mesajul este o cerere privind datele personale, nu o reclamație: a fost înregistrat ca cerere GDPR nr. ${registered.number} și este soluționat de responsabilul cu protecția datelor.`,
        actorId: p.userId,
      });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'case.converted_to_gdpr_request',
        entityType: 'case',
        entityId: c.id,
        details: { number: c.number, request: registered.number },
      });
    });
    if (c.processInstanceId)
      await engine
        .deleteProcessInstance(c.processInstanceId, `GDPR request ${registered.number}`)
        .catch(() => undefined);
    return registered;
  }

  /**
   * Extends the deadline by one or two months (art. 12(3)): only while the first month runs, once, with the reason;
   * the notice to the person is issued in the same step, then the process moves the task's due date.
   */
  async function extend(p: Principal, number: string, months: number, reason: string, today = new Date()) {
    requireDpo(p);
    const r = await byNumber(p.tenantId, number);
    if (r.status !== 'open') throw new DomainError('GDPR_REQUEST_ANSWERED');
    if (r.extendedAt) throw new DomainError('GDPR_ALREADY_EXTENDED');
    if (businessClock(today).date > r.dueDate) throw new DomainError('GDPR_EXTENSION_LATE');
    const receivedOn = businessClock(r.receivedAt).date;
    const dueDate = addMonths(receivedOn, 1 + months);
    const updated = await extendRequest(db, r.id, {
      dueDate,
      originalDueDate: r.dueDate,
      extendedAt: today,
      extensionReason: reason,
    });
    if (!updated) throw new DomainError('GDPR_ALREADY_EXTENDED');
    await issueLetter(updated, 'extension_notice');
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'gdpr_request.extended',
      entityType: 'gdpr_request',
      entityId: r.id,
      details: { number, from: r.dueDate, to: dueDate, months },
    });
    await completeTask(updated, { gdprDecision: 'extend', dueAt: endOfBusinessDay(dueDate) });
    return view(updated);
  }

  /**
   * The answer. An erasure is carried out here where the law allows and refused, with its reason, where it requires
   * keeping the record (server/retention); for the other rights the DPO says what was done.
   */
  async function answer(
    p: Principal,
    number: string,
    a: { answerText: string; outcome?: DsrOutcome | undefined; refusalReason?: string | undefined },
  ) {
    requireDpo(p);
    const r = await byNumber(p.tenantId, number);
    if (r.status !== 'open') throw new DomainError('GDPR_REQUEST_ANSWERED');
    let outcome = a.outcome ?? 'granted';
    let refusalReason = a.refusalReason?.trim() || null;
    let erasure: ErasureResult | null = null;
    if (r.right === 'erasure') {
      if (!deps.erase) throw new Error('erasure is not wired: createDsrService needs deps.erase');
      erasure = await deps.erase(r, p.userId);
      outcome = erasure.kept.length === 0 ? 'granted' : erasure.erased.length ? 'partly_refused' : 'refused';
      refusalReason = erasure.kept.length ? erasure.reason : null;
    } else if (outcome !== 'granted' && !refusalReason) throw new DomainError('GDPR_REFUSAL_REASON_REQUIRED');
    const updated = await answerRequest(db, r.id, { outcome, answerText: a.answerText, refusalReason });
    if (!updated) throw new DomainError('GDPR_REQUEST_ANSWERED');
    await issueLetter(updated, 'answer');
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'gdpr_request.answered',
      entityType: 'gdpr_request',
      entityId: r.id,
      details: {
        number,
        outcome,
        ...(erasure ? { erased: erasure.erased.length, kept: erasure.kept.length } : {}),
      },
    });
    await completeTask(updated, { gdprDecision: 'answer', findings: a.answerText.slice(0, 2000) });
    return { ...view(updated), erasure: erasure && { erased: erasure.erased, kept: erasure.kept } };
  }

  async function list(p: Principal, status?: 'open' | 'answered') {
    requireDpo(p);
    const rows = await listRequests(db, p.tenantId, status);
    return rows.map(view);
  }

  async function get(p: Principal, number: string) {
    requireDpo(p);
    const r = await byNumber(p.tenantId, number);
    const docs = await documentsOfRequest(db, r.id);
    return {
      ...view(r),
      details: r.details,
      documents: docs.map((d) => ({ ...d, createdAt: d.createdAt.toISOString() })),
    };
  }

  async function document(p: Principal, number: string, id: number) {
    requireDpo(p);
    const r = await byNumber(p.tenantId, number);
    const d = await documentOfRequest(db, r.id, id);
    if (!d) throw new DomainError('NOT_FOUND', { id });
    return d;
  }

  return { register, fromCase, extend, answer, list, get, document, ensureProcess };
}

/** Registering from a misfiled case or a quarantined e-mail: the officer who found it, or the DPO. */
export function requireDpoOrOfficer(p: Principal) {
  if (!p.jobRoles.includes(DPO_ROLE) && !p.roles.some((r) => r === 'officer' || r === 'supervisor'))
    throw new DomainError('AUTH_FORBIDDEN');
}

export function view(r: DataSubjectRequest) {
  return {
    id: r.id,
    number: r.number,
    right: r.right,
    channel: r.channel,
    status: r.status,
    outcome: r.outcome,
    customerId: r.customerId,
    contactName: r.contactName,
    contactEmail: r.contactEmail,
    contactPhone: r.contactPhone,
    receivedAt: r.receivedAt.toISOString(),
    dueDate: r.dueDate,
    originalDueDate: r.originalDueDate,
    extendedAt: r.extendedAt?.toISOString() ?? null,
    extensionReason: r.extensionReason,
    answerText: r.answerText,
    refusalReason: r.refusalReason,
    answeredAt: r.answeredAt?.toISOString() ?? null,
    fromCaseId: r.fromCaseId,
    /** A GDPR request is never a complaint: not in ANRE statistics, not billed as a complaint. */
    countsAsComplaint: false as const,
  };
}

export type DsrService = ReturnType<typeof createDsrService>;
