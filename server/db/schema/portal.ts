import {
  bigint,
  bigserial,
  boolean,
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

/**
 * A consumer's portal account: one per supplier (tenant) and e-mail address, created the first time a one-time
 * code sent to that address is entered. Proving the address is all an account is; what it may see comes from
 * the customer accounts linked to it (consumer_account_links) and the complaints it submitted.
 */
export const consumerAccounts = pgTable(
  'consumer_accounts',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** Lower-case. */
    email: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastLoginAt: timestamp({ withTimezone: true }),
  },
  (t) => [unique('consumer_accounts_email').on(t.tenantId, t.email)],
);

/**
 * One-time login codes. Only an HMAC of the code (under the installation secret) is stored; a code lives a few
 * minutes, takes a few wrong tries, and is used once. The rows also count requests per address and per client
 * address (an HMAC of the IP, never the IP itself) for the rate limits.
 */
export const portalLoginCodes = pgTable(
  'portal_login_codes',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** Lower-case. */
    email: text().notNull(),
    codeHash: text().notNull(),
    ipHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    attempts: integer().notNull().default(0),
    consumedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.email, t.createdAt), index().on(t.ipHash, t.createdAt)],
);

/** Consumer sessions, Lucia's design like the staff sessions: the id is the SHA-256 of the token. */
export const consumerSessions = pgTable(
  'consumer_sessions',
  {
    id: text().primaryKey(),
    accountId: uuid()
      .notNull()
      .references(() => consumerAccounts.id),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.accountId)],
);

/** A customer account (of the same tenant) the consumer proved to hold: customer code + POD/CLC + contract or meter. */
export const consumerAccountLinks = pgTable(
  'consumer_account_links',
  {
    accountId: uuid()
      .notNull()
      .references(() => consumerAccounts.id),
    customerId: uuid()
      .notNull()
      .references(() => customers.id),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    linkedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.customerId] }), index().on(t.tenantId, t.customerId)],
);

/**
 * Every attempt to link a customer account, for the limits on wrong tries: per portal account (e-mail), per client
 * address and per customer code typed, so neither new accounts, nor new addresses, nor spreading over customers
 * lifts the limit. The contract number and meter serial typed are not kept.
 */
export const portalLinkAttempts = pgTable(
  'portal_link_attempts',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid().notNull(),
    accountId: uuid()
      .notNull()
      .references(() => consumerAccounts.id),
    success: boolean().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** HMAC of the client address under the installation secret (like portal_login_codes), never the address. */
    ipHash: text(),
    /** The customer code as typed, normalised (upper case, no spaces or dashes). Null on rows older than the column. */
    customerCode: text(),
  },
  (t) => [
    index().on(t.accountId, t.at),
    index().on(t.ipHash, t.at),
    index().on(t.tenantId, t.customerCode, t.at),
  ],
);

export const portalSubmissionKinds = ['complaint', 'information'] as const;
export type PortalSubmissionKind = (typeof portalSubmissionKinds)[number];

/**
 * What a consumer sent through the portal: the complaint itself or information added to an open case, exactly
 * as sent. Immutable (a trigger refuses UPDATE and DELETE).
 */
export const portalSubmissions = pgTable(
  'portal_submissions',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    accountId: uuid()
      .notNull()
      .references(() => consumerAccounts.id),
    kind: text({ enum: portalSubmissionKinds }).notNull(),
    text: text().notNull(),
    /** Whether the engine took the "consumer added information" message (information only). */
    correlated: boolean(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.tenantId, t.caseId), index().on(t.accountId, t.kind)],
);

/**
 * Files attached to a portal submission. The bytes live in the content-addressed blob store (mail_blobs, by
 * SHA-256, immutable); this row names them. The content type is the sniffed one, never the browser's claim.
 */
export const portalFiles = pgTable(
  'portal_files',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid().notNull(),
    submissionId: uuid()
      .notNull()
      .references(() => portalSubmissions.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    sha256: text().notNull(),
    fileName: text().notNull(),
    contentType: text().notNull(),
    size: bigint({ mode: 'number' }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.tenantId, t.caseId), index().on(t.submissionId)],
);

export type ConsumerAccount = typeof consumerAccounts.$inferSelect;
export type PortalSubmission = typeof portalSubmissions.$inferSelect;
export type PortalFile = typeof portalFiles.$inferSelect;
