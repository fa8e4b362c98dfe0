import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { cases } from './cases.ts';
import { customers, places } from './customers.ts';
import { tenants } from './tenants.ts';
import { users } from './users.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});

/**
 * Content-addressed storage: raw messages and attachments, keyed by the SHA-256 of their bytes, per tenant.
 * A trigger (see the migration) refuses UPDATE and DELETE: what arrived is never altered.
 */
export const mailBlobs = pgTable(
  'mail_blobs',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** Lower-case hex SHA-256 of `content`. */
    sha256: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    /** The bytes, when they were stored whole (raw e-mails, their attachments, the documents we make). */
    content: bytea(),
    /** Or the upload whose parts hold them (blobUploadParts): files streamed in by the portal. */
    uploadId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.sha256] }),
    check('mail_blobs_one_store', sql`(${t.content} is null) <> (${t.uploadId} is null)`),
  ],
);

/**
 * The parts of a streamed upload, written in order while the request body is read (issue 13 item 10), so a file
 * is never held whole in memory. A blob that refers to the upload (mail_blobs.upload_id) makes its parts part of
 * the store: a trigger then refuses changing or deleting them (retention aside). Parts no blob refers to are an
 * upload that failed or was refused; the request deletes them, and housekeeping those a crash left behind.
 */
export const blobUploadParts = pgTable(
  'blob_upload_parts',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    uploadId: uuid().notNull(),
    seq: integer().notNull(),
    content: bytea().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.uploadId, t.seq] }), index().on(t.createdAt)],
);

/**
 * Per-tenant mailbox settings (production: the supplier's own mailbox). Without a row, the intake reads the
 * tenant's intake address on the local mail server. The password is AES-256-GCM encrypted with a key derived
 * from the app secret.
 */
export const mailAccounts = pgTable('mail_accounts', {
  tenantId: uuid()
    .primaryKey()
    .references(() => tenants.id),
  host: text().notNull(),
  port: integer().notNull(),
  secure: boolean().notNull().default(true),
  username: text().notNull(),
  /** `v1:<iv>:<tag>:<ciphertext>`, base64 parts. */
  passwordEnc: text().notNull(),
  mailbox: text().notNull().default('INBOX'),
  processedFolder: text().notNull().default('Processed'),
  quarantineFolder: text().notNull().default('Quarantine'),
  enabled: boolean().notNull().default(true),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const inboundKinds = [
  'complaint',
  'reply',
  'operator_answer',
  'auto_reply',
  'bounce',
  'loop',
] as const;
export type InboundKind = (typeof inboundKinds)[number];

/** One row per message taken from a tenant's mailbox: what it was, what became of it. */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** Message-ID header (angle brackets kept), if any. */
    messageId: text(),
    rawSha256: text().notNull(),
    /** `<Message-ID>|<sha256>`: the same message seen twice (crash, re-delivery) is processed once. */
    dedupeKey: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    /** When the mailbox received it (IMAP INTERNALDATE). */
    arrivedAt: timestamp({ withTimezone: true }).notNull(),
    fromAddress: text(),
    fromName: text(),
    subject: text().notNull(),
    /** Plain text for display (from the text part, else derived from the HTML). */
    textBody: text().notNull(),
    /** The HTML part after sanitising (no scripts, no remote resources), or null. */
    safeHtml: text(),
    kind: text({ enum: inboundKinds }).notNull(),
    /** Why it was classified so (e.g. `Auto-Submitted: auto-replied`). */
    reason: text(),
    caseId: uuid().references(() => cases.id),
    /** The engine's answer when a reply was correlated as "consumer added information". */
    correlated: boolean().notNull().default(false),
    /**
     * The BPMN message still to correlate for this row (set in the same transaction that records it, cleared once
     * the engine answered): a correlation that failed because the engine was down is retried, nothing is lost.
     */
    pendingMessage: text(),
    correlationAttempts: integer().notNull().default(0),
    lastCorrelationError: text(),
    nextCorrelationAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('inbound_messages_once').on(t.tenantId, t.dedupeKey),
    index().on(t.tenantId, t.caseId),
    index().on(t.tenantId, t.kind, t.createdAt.desc()),
    // Threading: a follow-up names the consumer's own earlier message by Message-ID.
    index().on(t.tenantId, t.messageId),
    index('inbound_messages_pending_correlation')
      .on(t.nextCorrelationAt)
      .where(sql`${t.pendingMessage} is not null`),
  ],
);

/** Attachments (and nested messages) of an inbound message, stored as blobs. */
export const inboundAttachments = pgTable(
  'inbound_attachments',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid().notNull(),
    inboundMessageId: uuid()
      .notNull()
      .references(() => inboundMessages.id),
    sha256: text().notNull(),
    filename: text(),
    contentType: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    /** `attachment` or `inline`. */
    disposition: text().notNull(),
    contentId: text(),
  },
  (t) => [index().on(t.inboundMessageId)],
);

/** Who the message may be from: scored customer / place candidates, confirmed by an intake officer when unsure. */
export const identificationCandidates = pgTable(
  'identification_candidates',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid().notNull(),
    inboundMessageId: uuid()
      .notNull()
      .references(() => inboundMessages.id),
    caseId: uuid().references(() => cases.id),
    customerId: uuid()
      .notNull()
      .references(() => customers.id),
    placeId: uuid().references(() => places.id),
    /** 0..1 */
    score: real().notNull(),
    /** A POD/CLC, customer code or contract number of this tenant written in the message. */
    certain: boolean().notNull(),
    /** The evidence, e.g. [{ kind: 'place_code', value: 'RO005E512345678' }]. */
    evidence: jsonb().$type<Array<{ kind: string; value: string; weight: number }>>().notNull(),
    confirmedBy: uuid().references(() => users.id),
    confirmedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.tenantId, t.caseId), index().on(t.inboundMessageId)],
);

/** Messages that could not be processed: kept in the mailbox's Quarantine folder and listed here with the reason. */
export const mailQuarantine = pgTable(
  'mail_quarantine',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** Stored when the bytes could be read at all. */
    rawSha256: text(),
    messageId: text(),
    subject: text(),
    /** The sender as written (From, else Reply-To / Sender / Return-Path), when it could be read. */
    fromAddress: text(),
    size: bigint({ mode: 'number' }),
    reason: text().notNull(),
    folder: text().notNull(),
    arrivedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp({ withTimezone: true }),
    resolvedBy: uuid().references(() => users.id),
    /** `registered` (a case was opened from it) or `handled` (with the officer's reason); never deleted. */
    resolution: text({ enum: ['registered', 'handled'] }),
    resolutionNote: text(),
    caseId: uuid().references(() => cases.id),
  },
  (t) => [unique('mail_quarantine_once').on(t.tenantId, t.rawSha256), index().on(t.tenantId, t.createdAt)],
);

/** A bounce of one of our own messages: the consumer was not reached by e-mail, send by post. */
export const caseDeliveryFailures = pgTable(
  'case_delivery_failures',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid().notNull(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    inboundMessageId: uuid()
      .notNull()
      .references(() => inboundMessages.id),
    /** The kind of our message that bounced (`acknowledgement`, `answer`). */
    messageKind: text().notNull(),
    toAddress: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set when the letter went by post. */
    resolvedAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique().on(t.caseId, t.inboundMessageId), index().on(t.tenantId, t.resolvedAt)],
);

export type InboundMessage = typeof inboundMessages.$inferSelect;
export type MailAccount = typeof mailAccounts.$inferSelect;
export type IdentificationCandidate = typeof identificationCandidates.$inferSelect;
