import {
  bigserial,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { cases } from './cases.ts';
import { tenants } from './tenants.ts';

/**
 * A request for data to the distribution operator (OD), sent by e-mail with our reference in the subject; the
 * operator's answer is matched back by that reference and correlated to the waiting process instance.
 */
export const operatorRequests = pgTable(
  'operator_requests',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    /** `<case number>/OD<n>`, unique per tenant. */
    reference: text().notNull().unique(),
    questions: text().notNull(),
    toAddress: text(),
    messageId: text(),
    /** The (sub-)process instance that waits for the answer. */
    processInstanceId: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
    answeredAt: timestamp({ withTimezone: true }),
    answerText: text(),
  },
  (t) => [index().on(t.caseId)],
);

/** The officer's ticks on the numbered steps of a task's work instruction (degree of execution). */
export const taskStepTicks = pgTable(
  'task_step_ticks',
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    caseId: uuid()
      .notNull()
      .references(() => cases.id),
    taskId: text().notNull(),
    taskDefinitionKey: text().notNull(),
    instructionId: text().notNull(),
    stepIndex: integer().notNull(),
    done: boolean().notNull(),
    actorId: uuid(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.stepIndex] }), index().on(t.caseId)],
);

export type OperatorRequest = typeof operatorRequests.$inferSelect;
