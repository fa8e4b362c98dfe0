import { index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants.ts';

export const customers = pgTable(
  'customers',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    customerCode: text().notNull(),
    name: text().notNull(),
    customerType: text({ enum: ['casnic', 'noncasnic'] }).notNull(),
    email: text(),
    phone: text(),
    address: text().notNull(),
    /** Lower-case, diacritics-free text of name, codes, phone, e-mail and address, for one-box search. */
    searchText: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique().on(t.tenantId, t.customerCode), index().on(t.tenantId)],
);

/** A place of consumption: an electricity POD or a natural gas CLC. */
export const places = pgTable(
  'places',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    customerId: uuid()
      .notNull()
      .references(() => customers.id),
    placeCode: text().notNull(),
    energy: text({ enum: ['energie_electrica', 'gaze_naturale'] }).notNull(),
    address: text().notNull(),
    contractNumber: text(),
    meterSerial: text(),
  },
  (t) => [unique().on(t.tenantId, t.placeCode), index().on(t.customerId)],
);

export type Customer = typeof customers.$inferSelect;
export type Place = typeof places.$inferSelect;
