import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only: a trigger (see the migration) refuses UPDATE and DELETE.
 * Rows are appended freely; no hot row. Details never hold personal data beyond ids.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorId: uuid(),
    /** `user`, `consumer`, `worker`, `system`. */
    actorKind: text().notNull(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text().notNull(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index().on(t.tenantId, t.entityType, t.entityId)],
);

export type AuditEntry = typeof auditLog.$inferSelect;
