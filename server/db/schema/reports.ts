import { bigserial, boolean, date, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants.ts';
import { users } from './users.ts';

/**
 * A tenant's choices about the regulator report (issue 16 item 1): whether its last published quarter is shown on
 * the public page `/raport/<CODE>` (opt-in: off until the admin turns it on). One row per tenant, written by the
 * reports module only.
 */
export const reportSettings = pgTable('report_settings', {
  tenantId: uuid()
    .primaryKey()
    .references(() => tenants.id),
  publicPage: boolean().notNull().default(false),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid().references(() => users.id),
});

/**
 * A quarter's regulator report as published: the figures exactly as computed from the case data at the moment of
 * publication (rows, tables, definitions), frozen. A trigger (see the migration) refuses UPDATE and DELETE, so
 * what the public saw stays what was published even if a case is corrected later. Aggregates only: no personal
 * data, so the retention purge never needs to touch it.
 */
export const reportPublications = pgTable(
  'report_publications',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    periodFrom: date().notNull(),
    periodTo: date().notNull(),
    /** E.g. "Trimestrul I 2026". */
    label: text().notNull(),
    /** The report as computed at publication (server/reports: IndicatorsReport). */
    report: jsonb().$type<Record<string, unknown>>().notNull(),
    publishedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    publishedBy: uuid().references(() => users.id),
  },
  (t) => [unique('report_publications_once').on(t.tenantId, t.periodFrom, t.periodTo)],
);

export type ReportPublication = typeof reportPublications.$inferSelect;
