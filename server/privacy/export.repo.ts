import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import {
  caseDocuments,
  caseEvents,
  caseMessages,
  cases,
  consumerAccountLinks,
  consumerAccounts,
  customers,
  dataSubjectRequests,
  inboundAttachments,
  inboundMessages,
  personalDataAccess,
  places,
  portalSubmissions,
} from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';

/**
 * Everything held about one person, read from the tables of every module that holds some (a read model of the
 * data-subject export, export.ts). Reads only: each of those tables has one writer (server/db/schema/README.md).
 */
export interface ExportSubject {
  customerId?: string | undefined;
  email?: string | undefined;
}

export async function collectSubject(db: Db, tenantId: string, subject: ExportSubject) {
  const email = subject.email?.trim().toLowerCase() || undefined;
  if (!subject.customerId && !email) throw new DomainError('GDPR_SUBJECT_REQUIRED');
  const [customer] = subject.customerId
    ? await db
        .select()
        .from(customers)
        .where(and(eq(customers.tenantId, tenantId), eq(customers.id, subject.customerId)))
    : [];
  if (subject.customerId && !customer) throw new DomainError('CUSTOMER_NOT_FOUND');
  const emails = [...new Set([email, customer?.email?.toLowerCase()].filter((e): e is string => !!e))];
  const who: SQL[] = [];
  if (customer) who.push(eq(cases.customerId, customer.id));
  if (emails.length) who.push(inArray(cases.contactEmail, emails));
  const caseRows = await db
    .select()
    .from(cases)
    .where(and(eq(cases.tenantId, tenantId), or(...who)))
    .orderBy(asc(cases.receivedAt));
  const caseIds = caseRows.map((c) => c.id);
  const none = sql`false`;
  const [placeRows, events, inbound, sent, docs, accounts, requests] = await Promise.all([
    customer ? db.select().from(places).where(eq(places.customerId, customer.id)) : [],
    caseIds.length
      ? db.select().from(caseEvents).where(inArray(caseEvents.caseId, caseIds)).orderBy(asc(caseEvents.at))
      : [],
    caseIds.length
      ? db
          .select()
          .from(inboundMessages)
          .where(and(eq(inboundMessages.tenantId, tenantId), inArray(inboundMessages.caseId, caseIds)))
      : [],
    caseIds.length ? db.select().from(caseMessages).where(inArray(caseMessages.caseId, caseIds)) : [],
    caseIds.length
      ? db
          .select({
            id: caseDocuments.id,
            caseId: caseDocuments.caseId,
            kind: caseDocuments.kind,
            fileName: caseDocuments.fileName,
            sha256: caseDocuments.sha256,
            size: caseDocuments.size,
            createdAt: caseDocuments.createdAt,
          })
          .from(caseDocuments)
          .where(and(eq(caseDocuments.tenantId, tenantId), inArray(caseDocuments.caseId, caseIds)))
      : [],
    db
      .select({
        id: consumerAccounts.id,
        email: consumerAccounts.email,
        createdAt: consumerAccounts.createdAt,
        lastLoginAt: consumerAccounts.lastLoginAt,
      })
      .from(consumerAccounts)
      .where(
        and(
          eq(consumerAccounts.tenantId, tenantId),
          or(
            emails.length ? inArray(consumerAccounts.email, emails) : none,
            customer
              ? sql`${consumerAccounts.id} in (select ${consumerAccountLinks.accountId} from ${consumerAccountLinks} where ${consumerAccountLinks.customerId} = ${customer.id})`
              : none,
          ),
        ),
      ),
    db
      .select()
      .from(dataSubjectRequests)
      .where(
        and(
          eq(dataSubjectRequests.tenantId, tenantId),
          or(
            customer ? eq(dataSubjectRequests.customerId, customer.id) : none,
            emails.length ? inArray(dataSubjectRequests.contactEmail, emails) : none,
          ),
        ),
      ),
  ]);
  const inboundIds = inbound.map((m) => m.id);
  const accountIds = accounts.map((a) => a.id);
  const [attachments, submissions, access] = await Promise.all([
    inboundIds.length
      ? db.select().from(inboundAttachments).where(inArray(inboundAttachments.inboundMessageId, inboundIds))
      : [],
    accountIds.length
      ? db.select().from(portalSubmissions).where(inArray(portalSubmissions.accountId, accountIds))
      : [],
    db
      .select()
      .from(personalDataAccess)
      .where(
        and(
          eq(personalDataAccess.tenantId, tenantId),
          or(
            customer ? eq(personalDataAccess.customerId, customer.id) : none,
            caseIds.length ? inArray(personalDataAccess.caseId, caseIds) : none,
          ),
        ),
      )
      .orderBy(asc(personalDataAccess.id)),
  ]);
  return {
    customer: customer ?? null,
    emails,
    placeRows,
    caseRows,
    events,
    inbound,
    attachments,
    sent,
    docs,
    accounts,
    submissions,
    requests,
    access,
  };
}

export type SubjectData = Awaited<ReturnType<typeof collectSubject>>;

/** The bytes of one issued document (read one at a time while the archive streams). */
export async function documentContent(db: Db, id: number): Promise<Buffer | null> {
  const [row] = await db
    .select({ content: caseDocuments.content })
    .from(caseDocuments)
    .where(eq(caseDocuments.id, id));
  return row?.content ?? null;
}
