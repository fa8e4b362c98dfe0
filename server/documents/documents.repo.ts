import { createHash } from 'node:crypto';
import { and, asc, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import {
  caseDocuments,
  cases,
  dataSubjectRequests,
  dsrDocuments,
  postalDispatches,
  type DocumentKind,
} from '../db/schema/index.ts';

const summary = {
  id: caseDocuments.id,
  kind: caseDocuments.kind,
  fileName: caseDocuments.fileName,
  contentType: caseDocuments.contentType,
  sha256: caseDocuments.sha256,
  size: caseDocuments.size,
  createdAt: caseDocuments.createdAt,
};

/** Stores a document once per case and kind; returns the stored one (the first issued wins: documents are immutable). */
export async function storeDocument(
  db: DbOrTx,
  d: {
    tenantId: string;
    caseId: string;
    kind: DocumentKind;
    fileName: string;
    content: Buffer;
    sha256: string;
  },
) {
  await db
    .insert(caseDocuments)
    .values({ ...d, contentType: 'application/pdf', size: d.content.length })
    .onConflictDoNothing();
  const [row] = await db
    .select()
    .from(caseDocuments)
    .where(and(eq(caseDocuments.caseId, d.caseId), eq(caseDocuments.kind, d.kind)));
  if (!row) throw new Error('document not stored');
  return row;
}

export function listDocuments(db: DbOrTx, tenantId: string, caseId: string) {
  return db
    .select(summary)
    .from(caseDocuments)
    .where(and(eq(caseDocuments.tenantId, tenantId), eq(caseDocuments.caseId, caseId)))
    .orderBy(asc(caseDocuments.id));
}

export async function getDocument(db: DbOrTx, tenantId: string, caseId: string, id: number) {
  const [row] = await db
    .select()
    .from(caseDocuments)
    .where(
      and(eq(caseDocuments.tenantId, tenantId), eq(caseDocuments.caseId, caseId), eq(caseDocuments.id, id)),
    );
  return row ?? null;
}

export async function queuePostalDispatch(
  db: DbOrTx,
  d: { tenantId: string; caseId: string; documentId: number; recipientName: string; address: string },
) {
  await db.insert(postalDispatches).values(d).onConflictDoNothing();
}

/**
 * The register, newest first: case letters and GDPR requests' letters alike (the post room posts both). `number` is
 * the case's or the request's registration number; `source` says which.
 */
export function listPostalDispatches(db: DbOrTx, tenantId: string, pendingOnly: boolean) {
  return db
    .select({
      id: postalDispatches.id,
      source: sql<
        'case' | 'gdpr_request'
      >`case when ${postalDispatches.dsrDocumentId} is null then 'case' else 'gdpr_request' end`,
      caseNumber: sql<string>`coalesce(${cases.number}, ${dataSubjectRequests.number})`,
      documentId: sql<number>`coalesce(${caseDocuments.id}, ${dsrDocuments.id})`.mapWith(Number),
      // A GDPR letter's kind carries the prefix, so it never reads as a complaint letter of the same name.
      documentKind: sql<string>`coalesce(${caseDocuments.kind}, 'gdpr_' || ${dsrDocuments.kind})`,
      documentSha256: sql<string>`coalesce(${caseDocuments.sha256}, ${dsrDocuments.sha256})`,
      recipientName: postalDispatches.recipientName,
      address: postalDispatches.address,
      // Whose letter it is, for the personal-data access log (never sent to the client).
      caseId: postalDispatches.caseId,
      customerId: sql<string | null>`coalesce(${cases.customerId}, ${dataSubjectRequests.customerId})`,
      queuedAt: postalDispatches.queuedAt,
      dispatchedAt: postalDispatches.dispatchedAt,
      postalReference: postalDispatches.postalReference,
      deliveredAt: postalDispatches.deliveredAt,
      proofOfDelivery: postalDispatches.proofOfDelivery,
    })
    .from(postalDispatches)
    .leftJoin(cases, eq(cases.id, postalDispatches.caseId))
    .leftJoin(caseDocuments, eq(caseDocuments.id, postalDispatches.documentId))
    .leftJoin(dsrDocuments, eq(dsrDocuments.id, postalDispatches.dsrDocumentId))
    .leftJoin(dataSubjectRequests, eq(dataSubjectRequests.id, dsrDocuments.requestId))
    .where(
      and(
        eq(postalDispatches.tenantId, tenantId),
        pendingOnly ? isNull(postalDispatches.dispatchedAt) : undefined,
      ),
    )
    .orderBy(desc(postalDispatches.queuedAt), desc(postalDispatches.id));
}

export async function updatePostalDispatch(
  db: DbOrTx,
  tenantId: string,
  id: number,
  set: { dispatchedAt?: Date; postalReference?: string; deliveredAt?: Date; proofOfDelivery?: string },
) {
  const [row] = await db
    .update(postalDispatches)
    .set(set)
    .where(and(eq(postalDispatches.tenantId, tenantId), eq(postalDispatches.id, id)))
    .returning();
  return row ?? null;
}

/** Queues a GDPR request's letter for the post (once per letter: the register refuses a second copy). */
export async function queueDsrPostalDispatch(
  db: DbOrTx,
  d: { tenantId: string; dsrDocumentId: number; recipientName: string; address: string },
) {
  const rows = await db.insert(postalDispatches).values(d).onConflictDoNothing().returning({
    id: postalDispatches.id,
  });
  return rows[0]?.id ?? null;
}

/** When the case's letter of this kind was posted (its recorded dispatch), or null. */
export async function letterDispatchedAt(
  db: DbOrTx,
  caseId: string,
  kind: DocumentKind,
): Promise<Date | null> {
  const [row] = await db
    .select({ dispatchedAt: postalDispatches.dispatchedAt })
    .from(postalDispatches)
    .innerJoin(caseDocuments, eq(caseDocuments.id, postalDispatches.documentId))
    .where(
      and(
        eq(postalDispatches.caseId, caseId),
        isNotNull(postalDispatches.dispatchedAt),
        eq(caseDocuments.kind, kind),
      ),
    );
  return row?.dispatchedAt ?? null;
}

/** Retention and erasure: the case's documents lose their bytes (the SHA-256 of nothing stays), the postal
 * register its recipient and address. */
export async function anonymiseDocumentsOfCase(
  db: DbOrTx,
  tenantId: string,
  caseId: string,
  removed: string,
) {
  const empty = createHash('sha256').update('').digest('hex');
  await db.execute(sql`
    update case_documents set content = ''::bytea, size = 0, sha256 = ${empty}
    where case_id = ${caseId} and tenant_id = ${tenantId}`);
  await db.execute(sql`
    update postal_dispatches set recipient_name = ${removed}, address = ${removed}
    where case_id = ${caseId} and tenant_id = ${tenantId}`);
}
