import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  customType,
  index,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { dsrDocuments } from './privacy.ts';
import { tenants } from './tenants.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

export const documentKinds = [
  'acknowledgement_letter',
  'answer_letter',
  'verification_report',
  'completion_request_letter',
  'extension_letter',
  'filing_letter',
  'compensation_letter',
] as const;
export type DocumentKind = (typeof documentKinds)[number];

/**
 * Documents we issued for a case (PDF), stored with their SHA-256. Immutable: a trigger (see the migration)
 * refuses UPDATE and DELETE; one document of each kind per case.
 */
export const caseDocuments = pgTable(
  'case_documents',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    kind: text({ enum: documentKinds }).notNull(),
    fileName: text().notNull(),
    contentType: text().notNull(),
    /** Lower-case hex SHA-256 of `content`. */
    sha256: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    content: bytea().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('case_documents_once').on(t.caseId, t.kind), index().on(t.caseId)],
);

/**
 * Letters for people without e-mail, queued for postal dispatch: the dispatch register. A row is either a case's
 * letter (case + case document) or a GDPR request's letter (its dsr document): one register for the post room.
 */
export const postalDispatches = pgTable(
  'postal_dispatches',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    caseId: uuid().references(() => cases.id),
    documentId: bigint({ mode: 'number' }).references(() => caseDocuments.id),
    /** A GDPR request's letter (acknowledgement, extension notice, answer); never a complaint. */
    dsrDocumentId: bigint({ mode: 'number' }).references(() => dsrDocuments.id),
    recipientName: text().notNull(),
    address: text().notNull(),
    queuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp({ withTimezone: true }),
    /** Registered-mail number or the courier's reference. */
    postalReference: text(),
    deliveredAt: timestamp({ withTimezone: true }),
    /** Proof of delivery when known (e.g. the signed return receipt's reference). */
    proofOfDelivery: text(),
  },
  (t) => [
    unique('postal_dispatches_once').on(t.documentId),
    unique('postal_dispatches_dsr_once').on(t.dsrDocumentId),
    index().on(t.tenantId, t.dispatchedAt),
    check(
      'postal_dispatches_one_letter',
      sql`(${t.documentId} is not null and ${t.caseId} is not null and ${t.dsrDocumentId} is null)
        or (${t.documentId} is null and ${t.caseId} is null and ${t.dsrDocumentId} is not null)`,
    ),
  ],
);

export type CaseDocument = typeof caseDocuments.$inferSelect;
export type PostalDispatch = typeof postalDispatches.$inferSelect;
