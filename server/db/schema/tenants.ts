import {
  boolean,
  date,
  integer,
  pgTable,
  primaryKey,
  text,
  time,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/** A supplier using the installation. `id` is also the engine's tenant id (codes may be reused across installs). */
export const tenants = pgTable('tenants', {
  id: uuid().primaryKey().defaultRandom(),
  code: text().notNull().unique(),
  name: text().notNull(),
  /** The dedicated complaint address, e.g. demo@reclamatii.info. */
  intakeEmail: text().notNull(),
  /** Public opening hours (Europe/Bucharest); receipts outside them are registered on the next working day. */
  opensAt: time().notNull().default('08:00'),
  closesAt: time().notNull().default('16:30'),
  /** Public base URL of the consumer pages, used in e-mails. */
  publicUrl: text().notNull().default('http://localhost:3000'),
  /** Letterhead lines under the supplier's name on letters (address, registration numbers, contact). */
  letterhead: text().notNull().default(''),
  /** The distribution operator's address for data requests (answers are matched back by our reference). */
  operatorEmail: text(),
  /** Compensation for a missed guaranteed deadline: base + per day of delay from the second day (lei). */
  compensationBaseLei: integer().notNull().default(100),
  compensationPerDayLei: integer().notNull().default(50),
  /** The legal basis of the compensation rule, named in the compensation notice. */
  compensationLegalBasis: text()
    .notNull()
    .default('Ordinul ANRE nr. 83/2021 (standardul de performanță pentru activitatea de furnizare)'),
  /** Working days the consumer has to complete an incomplete complaint after our written request. */
  completionWaitWorkingDays: integer().notNull().default(10),
  /** Whether the legal deadline stops while we wait for the consumer's completion (default: it keeps running). */
  completionPausesDeadline: boolean().notNull().default(false),
  /**
   * Working days a letter is taken to need to reach the consumer (an extension notice by post must leave this
   * early, so that it arrives before the original due date). No legal source: docs/legal.md, "Postal delivery".
   */
  postalDeliveryWorkingDays: integer().notNull().default(3),
  /** Whether a closed case goes to the satisfaction survey (IL-40). */
  satisfactionSurvey: boolean().notNull().default(false),
  /** The holder is warned this many working days before the due date. */
  warnWorkingDaysBefore: integer().notNull().default(2),
  /**
   * How a term is counted: `civil_code` (Civil Code art. 2553: the registration day is not counted, the term ends
   * at the end of its last day; the earlier, safer reading) or `free_days` (first and last day both excluded).
   */
  countingReading: text({ enum: ['civil_code', 'free_days'] })
    .notNull()
    .default('civil_code'),
  /**
   * Staff security: every staff member must use TOTP (admin, supervisor and designer must anyway, see
   * server/auth), and how long a session may last from sign-in whatever the activity.
   */
  totpForAllStaff: boolean().notNull().default(false),
  sessionMaxHours: integer().notNull().default(12),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Per-tenant extra non-working days (on top of the legal holidays). */
export const tenantNonWorkingDays = pgTable(
  'tenant_non_working_days',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    day: date().notNull(),
    reason: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day] })],
);

/** Deadlines are data: one rule per tenant and complaint category. */
export const deadlineRules = pgTable(
  'deadline_rules',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    category: text().notNull(),
    days: integer().notNull(),
    unit: text({ enum: ['working', 'calendar'] }).notNull(),
    extensionDays: integer().notNull().default(0),
    extensionAllowed: boolean().notNull().default(false),
    legalBasis: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.category] })],
);

/** One row per tenant and year: the gapless registration counter, locked only inside the registration transaction. */
export const registrationCounters = pgTable(
  'registration_counters',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    year: integer().notNull(),
    lastValue: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.year] })],
);

export type Tenant = typeof tenants.$inferSelect;
export type DeadlineRule = typeof deadlineRules.$inferSelect;
