import { boolean, index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants.ts';

/** Permission roles decide what a person may do in the app (checked on the server for every route). */
export const permissionRoles = ['agent', 'officer', 'supervisor', 'designer', 'admin'] as const;
export type PermissionRole = (typeof permissionRoles)[number];

export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    email: text().notNull().unique(),
    name: text().notNull(),
    passwordHash: text().notNull(),
    roles: text().array().$type<PermissionRole[]>().notNull(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set at each successful login (null: never logged in since it was recorded), for the admin's staff list. */
    lastLoginAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.tenantId)],
);

/** Sessions as Lucia's guide designs them: the id is the SHA-256 of the token, the token itself is never stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.userId)],
);

/**
 * Failed staff logins per e-mail address (an HMAC of it, the same whether an account exists or not), for the
 * lockout after too many tries. Rows of an address go at its next successful login; the housekeeping sweep
 * clears the rest once past the window.
 */
export const staffLoginFailures = pgTable(
  'staff_login_failures',
  {
    id: uuid().primaryKey().defaultRandom(),
    emailHash: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.emailHash, t.at)],
);

/**
 * Password-setting links (an invitation for a new account, or an admin's reset): only the SHA-256 of the random
 * token is kept, as for sessions. Valid 24 hours, single use (`usedAt`); a newer link of the same person
 * replaces the older rows, so at most a couple of rows exist per person and no sweep is needed.
 */
export const staffPasswordTokens = pgTable(
  'staff_password_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    tokenHash: text().notNull().unique(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.userId)],
);

/** Organisation chart: departments and the job roles in them. Job roles are the engine's candidate groups. */
export const departments = pgTable('departments', {
  id: uuid().primaryKey().defaultRandom(),
  tenantId: uuid()
    .notNull()
    .references(() => tenants.id),
  name: text().notNull(),
});

export const jobRoles = pgTable(
  'job_roles',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    code: text().notNull(),
    name: text().notNull(),
    departmentId: uuid()
      .notNull()
      .references(() => departments.id),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.code] })],
);

export const jobRoleHolders = pgTable(
  'job_role_holders',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    jobRoleCode: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.jobRoleCode] })],
);

export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
