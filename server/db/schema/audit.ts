import {
  bigint,
  bigserial,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

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

/**
 * The per-tenant hash chain over the audit log (design.md "Audit without a hot row"): a single sealing job
 * appends one link per audit row, hash = SHA-256(previous hash + the row's canonical text), so any later
 * change, removal or insertion in the sealed past breaks `verifyAuditChain`; each link also carries an HMAC the
 * database cannot compute (server/audit/audit-chain.ts). Append-only like the log.
 */
export const auditChain = pgTable(
  'audit_chain',
  {
    tenantId: uuid().notNull(),
    /** 1, 2, 3 … per tenant: the order of the chain (the sealing order, which follows audit ids). */
    seq: bigint({ mode: 'number' }).notNull(),
    auditId: bigint({ mode: 'number' }).notNull().unique(),
    /** Hex SHA-256 of the previous link's hash followed by the row's canonical text. */
    hash: text().notNull(),
    /**
     * Hex HMAC-SHA256 of (tenant, seq, hash) with a key derived from APP_SECRET that the database never holds, so
     * a role that can write this table still cannot recompute a chain that verifies. Null only on links sealed
     * before the chain was keyed.
     */
    mac: text(),
    sealedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.seq] })],
);

export type AuditLink = typeof auditChain.$inferSelect;
