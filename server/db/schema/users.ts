import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants.ts';
import type { PermissionRole } from '../../codes/permission-roles.ts';

// The permission roles live in server/codes (one list for the schema, the API and the services).
export { permissionRoles, privilegedRoles, type PermissionRole } from '../../codes/permission-roles.ts';

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
    /** The TOTP secret (RFC 6238), AES-256-GCM under a key derived from the app secret; null: not enrolled. */
    totpSecret: text(),
    totpEnabledAt: timestamp({ withTimezone: true }),
    /** The last time step a code was accepted for: a code is good once (no replay within its 90 s window). */
    totpLastStep: integer(),
    /** A secret shown during enrolment, kept (encrypted) until the person proves it with a first code. */
    totpPendingSecret: text(),
  },
  (t) => [index().on(t.tenantId)],
);

/**
 * One-time recovery codes for a staff member who lost the authenticator: only an HMAC of each code is kept
 * (they are random, 50 bits each, so a keyed hash is enough); `usedAt` spends one. A new set replaces the old.
 */
export const staffRecoveryCodes = pgTable(
  'staff_recovery_codes',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    codeHash: text().notNull().unique(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.userId)],
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
    /** Sign-in time: the absolute lifetime counts from here, whatever the activity. */
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * `password`: the password was right, the TOTP code is still due (the session can do nothing else);
     * `full`: signed in.
     */
    stage: text({ enum: ['password', 'full'] })
      .notNull()
      .default('full'),
    /** When the person last proved who they are (sign-in or re-authentication), for the sensitive operations. */
    authenticatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Wrong second-factor codes on this session; too many end it (the password must be given again). */
    secondFactorFailures: integer().notNull().default(0),
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
    /**
     * An HMAC of the client address the try came from: the delay applies to this account from this address
     * only, so an outsider elsewhere cannot keep the owner out. Null on rows from before it was recorded.
     */
    addressHash: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.emailHash, t.at), index().on(t.emailHash, t.addressHash, t.at)],
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

export const roleGrantStatuses = ['pending', 'approved', 'rejected', 'withdrawn'] as const;

/**
 * A grant of the designer or admin role waiting for a second administrator of the same tenant (never the one who
 * asked, never the person who would receive it): a designer deploys what runs in the shared engine, an admin
 * grants roles, so one compromised admin account must not be enough for either. The platform operator grants
 * these on the server (tenant setup), outside this table.
 */
export const roleGrantRequests = pgTable(
  'role_grant_requests',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    roles: text().array().$type<PermissionRole[]>().notNull(),
    requestedBy: uuid()
      .notNull()
      .references(() => users.id),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    status: text({ enum: roleGrantStatuses }).notNull().default('pending'),
    decidedBy: uuid().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.tenantId, t.status)],
);
