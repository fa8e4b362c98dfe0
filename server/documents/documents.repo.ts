import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { caseDocuments, cases, postalDispatches, type DocumentKind } from '../db/schema/index.ts';

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

export function listPostalDispatches(db: DbOrTx, tenantId: string, pendingOnly: boolean) {
  return db
    .select({
      id: postalDispatches.id,
      caseNumber: cases.number,
      documentId: caseDocuments.id,
      documentKind: caseDocuments.kind,
      documentSha256: caseDocuments.sha256,
      recipientName: postalDispatches.recipientName,
      address: postalDispatches.address,
      queuedAt: postalDispatches.queuedAt,
      dispatchedAt: postalDispatches.dispatchedAt,
      postalReference: postalDispatches.postalReference,
      deliveredAt: postalDispatches.deliveredAt,
      proofOfDelivery: postalDispatches.proofOfDelivery,
    })
    .from(postalDispatches)
    .innerJoin(cases, eq(cases.id, postalDispatches.caseId))
    .innerJoin(caseDocuments, eq(caseDocuments.id, postalDispatches.documentId))
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
