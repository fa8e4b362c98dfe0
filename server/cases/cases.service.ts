import { CASE_STATUS_LABELS, isClosedCase } from '../codes/case-codes.ts';
import type { Db } from '../db/client.ts';
import type { EngineClient } from '../engine/client.ts';
import { DomainError } from '../errors.ts';
import { appendAudit, logAccess } from '../audit/index.ts';
import type { Principal } from '../auth/index.ts';
import { accessCodeFor, accessCodeMatches } from './access-code.ts';
import {
  annulCase,
  addCaseEvent,
  getCaseByNumber,
  listCaseEvents,
  listCaseEventsWithActors,
  searchCases,
} from './cases.repo.ts';
import { caseCorrespondence } from './correspondence.ts';
import { cancelPendingStart } from './process-starts.repo.ts';
import { getTenantByCode } from '../tenants/index.ts';
import { caseDocument, caseDocuments } from '../documents/index.ts';
import { withTenant } from '../db/tenant-scope.ts';

export interface CasesDeps {
  db: Db;
  engine: EngineClient;
  secret: string;
}

export function createCasesService(deps: CasesDeps) {
  const { db, engine } = deps;

  /**
   * The case list and search. It shows each case's contact name: like the customer search, the access log names
   * every case the page showed (one insert), with what led there (`via`).
   */
  async function search(
    principal: Principal,
    q: string | undefined,
    page: number,
    pageSize: number,
    via: string | null = null,
  ) {
    const result = await searchCases(db, principal.tenantId, q, {
      offset: (page - 1) * pageSize,
      limit: pageSize,
    });
    await logAccess(
      db,
      result.items.map((c) => ({
        tenantId: principal.tenantId,
        actorId: principal.userId,
        subjectType: 'case' as const,
        subjectId: c.id,
        customerId: c.customerId,
        caseId: c.id,
        via,
      })),
    );
    const items = result.items.map(({ customerId: _customerId, ...c }) => ({
      ...c,
      receivedAt: c.receivedAt.toISOString(),
    }));
    return { items, total: result.total, page, pageSize };
  }

  /** A staff view of a case. Every view is recorded (access to personal data). */
  async function get(principal: Principal, number: string, via: string | null = null) {
    const row = await getCaseByNumber(db, principal.tenantId, number);
    if (!row) throw new DomainError('CASE_NOT_FOUND', { number });
    const [events, messages, documents] = await Promise.all([
      // Who made each change (issue 12: old → new, who, why).
      listCaseEventsWithActors(db, principal.tenantId, row.case.id),
      // Every message of the case, received and sent, with its text and attachments.
      caseCorrespondence(db, principal.tenantId, row.case),
      caseDocuments(db, principal.tenantId, row.case.id),
    ]);
    const activities = row.case.processInstanceId
      ? await engine.activityHistory(row.case.processInstanceId).catch(() => [])
      : [];
    await appendAudit(db, {
      tenantId: principal.tenantId,
      actorId: principal.userId,
      actorKind: 'user',
      action: 'case.viewed',
      entityType: 'case',
      entityId: row.case.id,
    });
    await logAccess(db, {
      tenantId: principal.tenantId,
      actorId: principal.userId,
      subjectType: 'case',
      subjectId: row.case.id,
      customerId: row.case.customerId,
      caseId: row.case.id,
      via,
    });
    return {
      ...row,
      events,
      messages,
      documents,
      activities: activities.filter(
        (a) => a.activityType !== 'sequenceFlow' && a.activityType !== 'exclusiveGateway',
      ),
      accessCode: accessCodeFor(deps.secret, principal.tenantId, row.case.number),
    };
  }

  /** A registration made by mistake is annulled with a reason, never deleted; its number stays used. */
  async function annul(principal: Principal, number: string, reason: string) {
    const row = await getCaseByNumber(db, principal.tenantId, number);
    if (!row) throw new DomainError('CASE_NOT_FOUND', { number });
    if (row.case.status === 'annulled') throw new DomainError('CASE_ALREADY_ANNULLED');
    // Closed as case-codes.ts defines it: closed after its answer, or filed (clasată).
    if (isClosedCase(row.case.status)) throw new DomainError('CASE_CLOSED_NOT_ANNULLABLE', { number });
    const now = new Date();
    await db.transaction(async (tx) => {
      // Checked again by the update itself: the case may have been closed or filed since it was read.
      const annulled = await annulCase(tx, principal.tenantId, row.case.id, {
        at: now,
        by: principal.userId,
        reason,
      });
      if (!annulled) throw new DomainError('CASE_CLOSED_NOT_ANNULLABLE', { number });
      // A process start still waiting in the outbox must not happen any more.
      await cancelPendingStart(tx, row.case.id, 'annulled before start', now);
      await addCaseEvent(tx, {
        tenantId: principal.tenantId,
        caseId: row.case.id,
        type: 'annulled',
        visibility: 'public',
        message: 'Înregistrarea a fost anulată (înregistrare făcută din eroare).',
        actorId: principal.userId,
      });
      await appendAudit(tx, {
        tenantId: principal.tenantId,
        actorId: principal.userId,
        actorKind: 'user',
        action: 'case.annulled',
        entityType: 'case',
        entityId: row.case.id,
        details: { number, reasonLength: reason.length },
      });
    });
    if (row.case.processInstanceId) {
      await engine
        .deleteProcessInstance(row.case.processInstanceId, `annulled: ${number}`)
        .catch(() => undefined);
    }
    return { number, status: 'annulled' as const, annulledAt: now.toISOString() };
  }

  /** The consumer's public status page: number + access code, public events only, no personal data. */
  async function publicStatus(number: string, code: string) {
    const tenantCode = number.split('-')[0] ?? '';
    const tenant = /^[A-Z0-9]{2,20}$/.test(tenantCode) ? await getTenantByCode(db, tenantCode) : null;
    if (!tenant || !accessCodeMatches(deps.secret, tenant.id, number, code))
      throw new DomainError('STATUS_NOT_FOUND');
    // The number and its access code named the tenant: the rest sees only its rows (server/db/tenant-scope.ts).
    return withTenant(tenant.id, () => statusOf(tenant, number));
  }

  async function statusOf(tenant: { id: string; name: string }, number: string) {
    const row = await getCaseByNumber(db, tenant.id, number);
    if (!row) throw new DomainError('STATUS_NOT_FOUND');
    const events = await listCaseEvents(db, tenant.id, row.case.id, true);
    await appendAudit(db, {
      tenantId: tenant.id,
      actorKind: 'consumer',
      action: 'case.status_viewed',
      entityType: 'case',
      entityId: row.case.id,
    });
    return {
      number: row.case.number,
      supplier: tenant.name,
      status: row.case.status,
      statusLabel: CASE_STATUS_LABELS[row.case.status] ?? row.case.status,
      category: row.case.category,
      subject: row.case.subject,
      receivedAt: row.case.receivedAt.toISOString(),
      registeredOn: row.case.registeredOn,
      dueDate: row.case.dueDate,
      answerSentAt: row.case.answerSentAt?.toISOString() ?? null,
      timeline: events.map((e) => ({ at: e.at.toISOString(), type: e.type, message: e.message })),
    };
  }

  /** A document we issued for the case (PDF); every download is audited. */
  async function document(
    principal: Principal,
    number: string,
    documentId: number,
    via: string | null = null,
  ) {
    const row = await getCaseByNumber(db, principal.tenantId, number);
    if (!row) throw new DomainError('CASE_NOT_FOUND', { number });
    const doc = await caseDocument(db, principal.tenantId, row.case.id, documentId);
    if (!doc) throw new DomainError('NOT_FOUND', { documentId });
    await appendAudit(db, {
      tenantId: principal.tenantId,
      actorId: principal.userId,
      actorKind: 'user',
      action: 'document.downloaded',
      entityType: 'case',
      entityId: row.case.id,
      details: { documentId, sha256: doc.sha256 },
    });
    await logAccess(db, {
      tenantId: principal.tenantId,
      actorId: principal.userId,
      subjectType: 'document',
      subjectId: String(documentId),
      customerId: row.case.customerId,
      caseId: row.case.id,
      via,
    });
    return doc;
  }

  return { search, get, annul, publicStatus, document };
}

export type CasesService = ReturnType<typeof createCasesService>;
