import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
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
  mailBlobs,
  personalDataAccess,
  places,
  portalSubmissions,
} from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { logAccess } from '../audit/index.ts';

/**
 * The data-subject export (GDPR art. 15 and 20): everything held about one person, found by the customer file or by
 * e-mail address, as a ZIP of JSON files plus the documents and attachments as stored. The archive is streamed:
 * JSON parts are deflated, binary parts stored as they are (PDFs and most attachments are compressed already), and
 * blobs are read one at a time, so a person with many files does not fill the memory.
 */
export interface ExportSubject {
  customerId?: string | undefined;
  email?: string | undefined;
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 2));

/** Only characters that are safe in a ZIP entry name on every system (no path separators, no control chars). */
function safeName(s: string): string {
  let out = '';
  for (const ch of s.slice(0, 120)) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || '/\\:*?"<>|'.includes(ch) ? '_' : ch;
  }
  return out.replace(/^\.+/, '_') || 'fisier';
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

export async function exportSubject(
  db: Db,
  tenantId: string,
  actorId: string,
  subject: ExportSubject,
  via: string | null,
): Promise<{ stream: Readable; fileName: string; data: SubjectData }> {
  const d = await collectSubject(db, tenantId, subject);
  await logAccess(db, {
    tenantId,
    actorId,
    subjectType: 'export',
    // Ids only in the log: a person known by e-mail alone is named by the SHA-256 of the address.
    subjectId:
      d.customer?.id ??
      `email-sha256:${createHash('sha256')
        .update(d.emails[0] ?? '')
        .digest('hex')}`,
    customerId: d.customer?.id ?? null,
    via,
  });
  const numberOf = new Map(d.caseRows.map((c) => [c.id, c.number]));
  const out = new PassThrough();
  const zip = new Zip((err, chunk, final) => {
    if (err) return out.destroy(err);
    out.write(Buffer.from(chunk));
    if (final) out.end();
  });
  const addJson = (name: string, v: unknown) => {
    const f = new ZipDeflate(name, { level: 6 });
    zip.add(f);
    f.push(json(v), true);
  };
  const addBinary = (name: string, bytes: Uint8Array) => {
    const f = new ZipPassThrough(name);
    zip.add(f);
    f.push(bytes, true);
  };
  const run = async () => {
    addJson('README.json', {
      continut:
        'Datele cu caracter personal păstrate despre persoana vizată (Regulamentul (UE) 2016/679, art. 15 și 20): ' +
        'fișa de client și locurile de consum, dosarele de reclamație cu istoricul lor, mesajele primite și trimise, ' +
        'documentele emise, contul din portal, cererile GDPR și jurnalul accesărilor datelor de către personal.',
      generatLa: new Date().toISOString(),
    });
    addJson('client.json', d.customer ? { ...d.customer, locuriDeConsum: d.placeRows } : null);
    addJson(
      'dosare.json',
      d.caseRows.map((c) => ({
        ...c,
        searchText: undefined,
        evenimente: d.events.filter((e) => e.caseId === c.id),
      })),
    );
    addJson(
      'mesaje-primite.json',
      d.inbound.map((m) => ({
        id: m.id,
        dosar: m.caseId ? numberOf.get(m.caseId) : null,
        primitLa: m.arrivedAt,
        de: m.fromAddress,
        nume: m.fromName,
        subiect: m.subject,
        text: m.textBody,
        atasamente: d.attachments
          .filter((a) => a.inboundMessageId === m.id)
          .map((a) => ({
            id: a.id,
            fisier: a.filename,
            tip: a.contentType,
            dimensiune: a.size,
            sha256: a.sha256,
          })),
      })),
    );
    addJson(
      'mesaje-trimise.json',
      d.sent.map((m) => ({ ...m, dosar: numberOf.get(m.caseId) })),
    );
    addJson(
      'documente.json',
      d.docs.map((x) => ({ ...x, dosar: numberOf.get(x.caseId) })),
    );
    addJson('cont-portal.json', { conturi: d.accounts, trimiteri: d.submissions });
    addJson('cereri-gdpr.json', d.requests);
    addJson('jurnal-acces.json', d.access);
    // Binary parts, one blob in memory at a time.
    for (const doc of d.docs) {
      const [row] = await db
        .select({ content: caseDocuments.content })
        .from(caseDocuments)
        .where(eq(caseDocuments.id, doc.id));
      if (row)
        addBinary(`documente/${numberOf.get(doc.caseId)}/${doc.id}-${safeName(doc.fileName)}`, row.content);
    }
    for (const a of d.attachments) {
      const [blob] = await db
        .select({ content: mailBlobs.content })
        .from(mailBlobs)
        .where(and(eq(mailBlobs.tenantId, tenantId), eq(mailBlobs.sha256, a.sha256)));
      const m = d.inbound.find((x) => x.id === a.inboundMessageId);
      if (blob)
        addBinary(
          `atasamente/${m?.caseId ? numberOf.get(m.caseId) : 'fara-dosar'}/${a.id}-${safeName(a.filename ?? 'atasament')}`,
          blob.content,
        );
    }
    zip.end();
  };
  run().catch((err: unknown) => out.destroy(err as Error));
  const key = d.customer?.customerCode ?? 'persoana';
  return { stream: out, fileName: `export-date-${safeName(key)}.zip`, data: d };
}
