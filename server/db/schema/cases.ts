import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers, places } from './customers.ts';
import { tenants } from './tenants.ts';
import { users } from './users.ts';
import {
  caseKinds,
  caseSources,
  caseStatuses,
  channels,
  complaintCategories,
  customerTypes,
  energies,
  unclosedCaseStatuses,
} from '../../codes/case-codes.ts';
import { communicationChannels } from '../../codes/delivery.ts';

// The case codes live in server/codes (the web pages share them); the schema and its importers see them here.
export {
  caseKinds,
  caseSources,
  caseStatuses,
  channels,
  complaintCategories,
  customerTypes,
  energies,
  type CaseKind,
  type CaseSource,
  type CaseStatus,
  type Channel,
  type ComplaintCategory,
  type CustomerType,
  type Energy,
} from '../../codes/case-codes.ts';

export interface CaseProcessVersions {
  processes: Record<string, { definitionId: string; version: number | null; hash: string }>;
  instructions: Record<string, string>;
  recordedAt: string;
}

export const cases = pgTable(
  'cases',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** `<TENANT>-<YYYY>-<NNNNNN>`, gapless per tenant and year of receipt. */
    number: text().notNull(),
    year: integer().notNull(),
    seq: integer().notNull(),
    channel: text({ enum: channels }).notNull(),
    category: text({ enum: complaintCategories }).notNull(),
    /**
     * Further categories the complaint is also about (triage, IL-06): each gets its own verification, and the due
     * date is the earliest of all its categories' due dates (docs/legal.md, "Several categories").
     */
    additionalCategories: text({ enum: complaintCategories }).array().notNull().default([]),
    /** Household or not, and electricity or gas: set from the customer file and the place, corrected at triage. */
    customerType: text({ enum: customerTypes }),
    energy: text({ enum: energies }),
    /** Who brought it: the consumer, or an authority (ANRE, ANPC) with its reference and, maybe, its deadline. */
    source: text({ enum: caseSources }).notNull().default('consumer'),
    authorityName: text(),
    authorityReference: text(),
    /** The authority's own deadline; when earlier than the legal one, the case's due date is this one. */
    authorityDueDate: date(),
    /** A complaint (counted for ANRE), not a complaint (filed at triage, not counted) or a GDPR request. */
    kind: text({ enum: caseKinds }).notNull().default('complaint'),
    subject: text().notNull(),
    /** What the consumer said, exactly as received. Never updated. */
    body: text().notNull(),
    customerId: uuid().references(() => customers.id),
    placeId: uuid().references(() => places.id),
    contactName: text().notNull(),
    contactEmail: text(),
    contactPhone: text(),
    receivedAt: timestamp({ withTimezone: true }).notNull(),
    /** Business date of registration (Europe/Bucharest): the next working day for receipts after hours. */
    registeredOn: date().notNull(),
    dueDate: date().notNull(),
    /** The deadline rule applied, frozen at registration (days, unit, legal basis). */
    deadlineRule: jsonb()
      .$type<{ days: number; unit: 'working' | 'calendar'; legalBasis: string }>()
      .notNull(),
    status: text({ enum: caseStatuses }).notNull().default('registered'),
    processInstanceId: text(),
    /** The process definition the case runs under and the SHA-256 of its deployed XML. */
    processDefinitionId: text(),
    processHash: text(),
    /** SHA-256 over the work instructions (id and file hash) loaded when the process started. */
    instructionsHash: text(),
    /**
     * Every process the case ran under, called sub-processes included (key -> definition id, version, SHA-256 of
     * the deployed XML), and the work instructions of its user tasks (id -> SHA-256 of the file).
     */
    processVersions: jsonb().$type<CaseProcessVersions>(),
    /** A complaint about how an earlier complaint was handled: the case whose answer is contested (never altered). */
    contestsCaseId: uuid().references((): AnyPgColumn => cases.id),
    /** The due date before an extension with prior notice; null when never extended. */
    originalDueDate: date(),
    extendedAt: timestamp({ withTimezone: true }),
    /** Deadline breach: when it was recorded, the days of delay and the compensation owed (lei). */
    breachedAt: timestamp({ withTimezone: true }),
    delayDays: integer(),
    compensationLei: integer(),
    /** Why a case was filed without an answer on the merits: duplicate, misdirected, anonymous. */
    filedReason: text(),
    findings: text(),
    answerText: text(),
    answerSentAt: timestamp({ withTimezone: true }),
    /**
     * When the answer (or the filing notice) counts as given: SMTP accepted it, the letter's dispatch was recorded
     * in the postal register, or the consumer downloaded it from the portal; and how. Breach and compensation use it.
     */
    answerCommunicatedAt: timestamp({ withTimezone: true }),
    answerCommunicatedBy: text({ enum: communicationChannels }),
    /** Why the deadline was extended (approved by SEF, IL-32). */
    extensionReason: text(),
    /** The written request to complete an incomplete complaint (IL-08) and the consumer's answer to it. */
    completionRequestedAt: timestamp({ withTimezone: true }),
    completionReceivedAt: timestamp({ withTimezone: true }),
    /** Compensation actually granted by finance (IL-29): date, method (invoice credit or payment), amount. */
    compensationPaidOn: date(),
    compensationPaymentMethod: text({ enum: ['invoice_credit', 'bank_transfer', 'postal_order'] }),
    compensationPaidLei: integer(),
    compensationNotifiedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    annulledAt: timestamp({ withTimezone: true }),
    annulledBy: uuid().references(() => users.id),
    annulReason: text(),
    createdBy: uuid().references(() => users.id),
    searchText: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique().on(t.tenantId, t.number),
    unique().on(t.tenantId, t.year, t.seq),
    index().on(t.tenantId, t.receivedAt.desc()),
    index().on(t.processInstanceId),
    index().on(t.contestsCaseId),
    // The supervisor view: cases not closed yet by due date (late first), counts per category / channel over a period.
    index('cases_open_due')
      .on(t.tenantId, t.dueDate, t.registeredOn, t.number)
      // The cases not closed yet (server/codes); the same SQL as migrations wrote: status in ('registered', …).
      .where(sql.raw(`status in (${unclosedCaseStatuses.map((s) => `'${s}'`).join(', ')})`)),
    index('cases_registered_on').on(t.tenantId, t.registeredOn, t.category, t.channel, t.status),
  ],
);

/** The consumer-visible and internal timeline of a case. */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid().notNull(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    type: text().notNull(),
    /** `public` events appear on the consumer's status page. */
    visibility: text({ enum: ['public', 'internal'] }).notNull(),
    message: text().notNull(),
    actorId: uuid(),
  },
  (t) => [index().on(t.caseId, t.at)],
);

/** Messages sent to the consumer; `kind` + case makes a send idempotent. */
export const caseMessages = pgTable(
  'case_messages',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid().notNull(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    direction: text({ enum: ['in', 'out'] }).notNull(),
    kind: text().notNull(),
    toAddress: text(),
    subject: text().notNull(),
    messageId: text(),
    /** The plain-text part as sent (shown on the case page with the messages received). */
    text: text(),
    /** What was attached, by SHA-256 (a case document has the same hash). */
    attachments:
      jsonb().$type<Array<{ filename: string; contentType: string; size: number; sha256: string }>>(),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index().on(t.caseId),
    unique('case_messages_out_once').on(t.caseId, t.kind, t.direction),
    // Threading: a reply names our messages by Message-ID.
    index().on(t.tenantId, t.messageId),
  ],
);

/**
 * A registration's Idempotency-Key (POST /api/complaints): a client that retries a request whose answer it lost
 * (a timeout, a balancer's 502) gets the case the first try registered, never a second case. Written by the
 * registration statement itself, so the key and the case commit together or not at all.
 */
export const registrationKeys = pgTable(
  'registration_keys',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    key: text().notNull(),
    /** SHA-256 of what was asked (channel, who, what): the same key sent with another request is refused. */
    fingerprint: text().notNull(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] }), index().on(t.createdAt)],
);

/** Transactional outbox: the process start for a case, retried until it happened exactly once. */
export const processStarts = pgTable(
  'process_starts',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid().notNull(),
    caseId: uuid()
      .notNull()
      .unique()
      .references(() => cases.id),
    businessKey: text().notNull(),
    processKey: text().notNull(),
    variables: jsonb().$type<Record<string, unknown>>().notNull(),
    attempts: integer().notNull().default(0),
    /** A dispatcher may take the row only after this moment (a lease; longer than the HTTP timeout). */
    lockedUntil: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`now()`),
    lastError: text(),
    startedAt: timestamp({ withTimezone: true }),
    processInstanceId: text(),
  },
  (t) => [
    index('process_starts_pending')
      .on(t.lockedUntil)
      .where(sql`started_at is null`),
  ],
);

export type Case = typeof cases.$inferSelect;
export type CaseEvent = typeof caseEvents.$inferSelect;
