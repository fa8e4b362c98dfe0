import {
  bigint,
  bigserial,
  customType,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { customers } from './customers.ts';
import { tenants } from './tenants.ts';
import { users } from './users.ts';
import {
  accessSubjects,
  dataSubjectRights,
  dsrChannels,
  dsrDocumentKinds,
  dsrOutcomes,
  dsrStatuses,
} from '../../codes/privacy-codes.ts';

export {
  accessSubjects,
  dataSubjectRights,
  dsrChannels,
  dsrDocumentKinds,
  dsrOutcomes,
  dsrStatuses,
} from '../../codes/privacy-codes.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * A data-subject request (GDPR art. 15–21). Not a complaint: its own table, its own number series
 * (`<TENANT>-GDPR-<YYYY>-<NNNNNN>`), its own process (verify-gdpr.bpmn) and deadline (one month, art. 12(3)). It is
 * never counted in complaint statistics or billing because it is not a row of `cases` at all; a misfiled complaint
 * case it came from is marked `kind = 'gdpr_request'` and filed.
 */
export const dataSubjectRequests = pgTable(
  'data_subject_requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    number: text().notNull(),
    year: integer().notNull(),
    seq: integer().notNull(),
    right: text({ enum: dataSubjectRights }).notNull(),
    channel: text({ enum: dsrChannels }).notNull(),
    customerId: uuid().references(() => customers.id),
    contactName: text().notNull(),
    contactEmail: text(),
    contactPhone: text(),
    /** What the person asked, as received. */
    details: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    /** One month from receipt (art. 12(3)); moved once by an extension notified within the first month. */
    dueDate: date().notNull(),
    originalDueDate: date(),
    extendedAt: timestamp({ withTimezone: true }),
    extensionReason: text(),
    status: text({ enum: dsrStatuses }).notNull().default('open'),
    outcome: text({ enum: dsrOutcomes }),
    answerText: text(),
    /** Why (part of) the request was refused, e.g. the legal obligation to keep complaint records. */
    refusalReason: text(),
    answeredAt: timestamp({ withTimezone: true }),
    /** A complaint case registered by mistake for what was in fact this request (it is filed, not counted). */
    fromCaseId: uuid().references(() => cases.id),
    /** A quarantined e-mail the officer turned into this request. */
    fromInboundMessageId: uuid(),
    processInstanceId: text(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique().on(t.tenantId, t.number),
    unique().on(t.tenantId, t.year, t.seq),
    index().on(t.tenantId, t.status, t.dueDate),
    index().on(t.tenantId, t.customerId),
  ],
);

/** The GDPR requests' own gapless number series, one row per tenant and year (locked only while registering). */
export const dsrCounters = pgTable(
  'dsr_counters',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    year: integer().notNull(),
    lastValue: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.year] })],
);

/** Letters issued for a GDPR request (acknowledgement, extension notice, answer): PDF with its SHA-256. */
export const dsrDocuments = pgTable(
  'dsr_documents',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    requestId: uuid()
      .notNull()
      .references(() => dataSubjectRequests.id),
    kind: text({ enum: dsrDocumentKinds }).notNull(),
    fileName: text().notNull(),
    sha256: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    content: bytea().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('dsr_documents_once').on(t.requestId, t.kind)],
);

/**
 * Who read whose personal data, when and why (GDPR art. 32; issue 13 item 7). Append-only (a trigger refuses
 * UPDATE and DELETE) and apart from the change audit: reads are many, carry no change, and are not chained.
 * Ids only, never names or search text.
 */
export const personalDataAccess = pgTable(
  'personal_data_access',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorId: uuid().notNull(),
    /** What was read: a case, a received message, a document, a customer record, an export. */
    subjectType: text({ enum: accessSubjects }).notNull(),
    subjectId: text().notNull(),
    /** The person the data is about, when known (filter "about whom"). */
    customerId: uuid(),
    caseId: uuid(),
    /** How it was reached: the task, the search or the page (client-supplied, capped). */
    via: text(),
  },
  (t) => [
    index().on(t.tenantId, t.at.desc()),
    index().on(t.tenantId, t.actorId, t.at.desc()),
    index().on(t.tenantId, t.customerId, t.at.desc()),
    index().on(t.tenantId, t.caseId, t.at.desc()),
  ],
);

/** Per-tenant privacy settings: how long closed cases keep personal data (docs/legal.md, "GDPR"). */
export const privacySettings = pgTable('privacy_settings', {
  tenantId: uuid()
    .primaryKey()
    .references(() => tenants.id),
  retentionYears: integer().notNull().default(5),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid(),
});

/**
 * The anonymisation log (IL-38): one row per case, message or customer whose personal data was removed, with the
 * SHA-256 of what was removed (proof of what existed, never the data itself).
 */
export const anonymisations = pgTable(
  'anonymisations',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    entityType: text({ enum: ['case', 'customer'] }).notNull(),
    entityId: uuid().notNull(),
    /** `retention` (the period passed) or `erasure` (a granted request, its number in `requestId`). */
    reason: text({ enum: ['retention', 'erasure'] }).notNull(),
    requestId: uuid(),
    removedSha256: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('anonymisations_once').on(t.entityType, t.entityId)],
);

export type DataSubjectRequest = typeof dataSubjectRequests.$inferSelect;
