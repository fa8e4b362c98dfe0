import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { tenants } from './tenants.ts';
import { users } from './users.ts';

export const taskStates = ['open', 'completed', 'deleted'] as const;
export type TaskState = (typeof taskStates)[number];

/**
 * The inbox read model: one row per engine user task, fed from the engine's task_event_outbox (LISTEN/NOTIFY,
 * catch-up by id) and joined with the case's data so that filters, counts and sorting never ask the engine.
 * `lastEventId` makes every event apply at most once (an older event never overwrites a newer one); the case
 * columns are kept in line by a trigger on `cases`.
 */
export const tasks = pgTable(
  'tasks',
  {
    /** The engine's task id. */
    id: text().primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    caseId: uuid().references(() => cases.id),
    caseNumber: text(),
    processInstanceId: text().notNull(),
    taskDefinitionKey: text().notNull(),
    name: text().notNull(),
    /** The user id holding the task (engine assignee), null while it waits in its groups. */
    assignee: text(),
    /** Job roles (engine candidate groups). */
    candidateGroups: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** The task's due moment (engine due date; else the end of the case's due date in Bucharest). */
    dueAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull(),
    state: text({ enum: taskStates }).notNull().default('open'),
    endedAt: timestamp({ withTimezone: true }),
    lastEventId: bigint({ mode: 'number' }).notNull(),
    // Case data for filters (kept in line by the `tasks_follow_case` trigger).
    category: text(),
    channel: text(),
    caseDueDate: date(),
    caseStatus: text(),
    placeCode: text(),
    customerName: text(),
    subject: text(),
    /** Lower-case, without diacritics: case number, customer, subject, place code, task name. */
    searchText: text().notNull().default(''),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('tasks_open_due')
      .on(t.tenantId, t.dueAt, t.id)
      .where(sql`state = 'open'`),
    index('tasks_open_assignee_due')
      .on(t.tenantId, t.assignee, t.dueAt, t.id)
      .where(sql`state = 'open'`),
    index('tasks_open_category_due')
      .on(t.tenantId, t.category, t.dueAt, t.id)
      .where(sql`state = 'open'`),
    index('tasks_open_place')
      .on(t.tenantId, t.placeCode.op('text_pattern_ops'))
      .where(sql`state = 'open'`),
    index('tasks_open_groups')
      .using('gin', t.candidateGroups)
      .where(sql`state = 'open'`),
    index('tasks_open_search')
      .using('gin', sql`${t.searchText} gin_trgm_ops`)
      .where(sql`state = 'open'`),
    index('tasks_case').on(t.caseId),
    index('tasks_case_number').on(t.tenantId, t.caseNumber),
    index('tasks_process_instance').on(t.processInstanceId),
  ],
);

/** Where the consumer of the engine's task events stands: every event id up to `lastEventId` is applied. */
export const taskEventCursor = pgTable('task_event_cursor', {
  id: integer().primaryKey().default(1),
  lastEventId: bigint({ mode: 'number' }).notNull().default(0),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** An officer's saved inbox filters (the URL search parameters of the inbox, by name). */
export const inboxSavedFilters = pgTable(
  'inbox_saved_filters',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    name: text().notNull(),
    filters: jsonb().$type<Record<string, string>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.userId, t.name)],
);

/** Internal comments of staff on a case, written from a task. */
export const caseComments = pgTable(
  'case_comments',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    taskId: text(),
    authorId: uuid()
      .notNull()
      .references(() => users.id),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.caseId, t.createdAt)],
);

export type Task = typeof tasks.$inferSelect;
export type CaseComment = typeof caseComments.$inferSelect;

export const taskCompletionStates = ['pending', 'applied'] as const;

/**
 * A task completion as an intent (transactional outbox): written in the same transaction as what the completion
 * changes in our database (case, audit, timeline, operator request), keyed on the engine task id so a double
 * submit or a retry finds it and repeats nothing; `applied_at` is set once the engine has the completion (and the
 * case's timers follow a recomputed due date). A dispatcher retries pending ones when the engine was down.
 */
export const taskCompletions = pgTable(
  'task_completions',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** The engine task id: one completion per task (the idempotency key). */
    taskId: text().notNull().unique(),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    actorId: uuid()
      .notNull()
      .references(() => users.id),
    processInstanceId: text().notNull(),
    taskDefinitionKey: text().notNull(),
    /** What the engine gets with the completion (only what routing needs). */
    variables: jsonb().$type<Record<string, string | number | boolean | null>>().notNull(),
    /** Timers of the case's instances to move when the completion recomputed the due date (old -> new instant). */
    timerMoves: jsonb().$type<Array<{ from: string; to: string }>>(),
    status: text({ enum: taskCompletionStates }).notNull().default('pending'),
    attempts: integer().notNull().default(0),
    lockedUntil: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`now()`),
    lastError: text(),
    engineCompletedAt: timestamp({ withTimezone: true }),
    appliedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('task_completions_pending')
      .on(t.lockedUntil)
      .where(sql`status = 'pending'`),
  ],
);
export type TaskCompletion = typeof taskCompletions.$inferSelect;
