import { cases } from '../../server/db/schema/index.ts';
import type { FactoryTenant } from '../factories/index.ts';
import type { TestContext } from '../helpers/test-context.ts';

/** A complaint as the report reads it, written directly: the hand-made set's dates are the point of the test. */
export interface HandMade {
  category: (typeof cases.$inferInsert)['category'];
  customerType?: 'household' | 'non_household' | null;
  energy?: 'electricity' | 'gas' | null;
  channel: (typeof cases.$inferInsert)['channel'];
  source?: 'consumer' | 'authority';
  kind?: 'complaint' | 'not_a_complaint' | 'gdpr_request';
  status?: (typeof cases.$inferInsert)['status'];
  registeredOn: string;
  dueDate: string;
  unit: 'working' | 'calendar';
  communicatedAt?: string;
  filedReason?: string;
  closedAt?: string;
  breachedAt?: string;
  delayDays?: number;
  compensationLei?: number;
  paidOn?: string;
  paidLei?: number;
}

let seq = 900_000;

/** Writes one complaint with the given dates and outcome, as the report reads it (owner connection). */
export async function insertCase(t: TestContext, tenant: FactoryTenant, c: HandMade): Promise<string> {
  seq += 1;
  const year = Number(c.registeredOn.slice(0, 4));
  const [row] = await t.db
    .insert(cases)
    .values({
      tenantId: tenant.id,
      number: `${tenant.code}-${year}-${String(seq).padStart(6, '0')}`,
      year,
      seq,
      channel: c.channel,
      category: c.category,
      customerType: c.customerType === undefined ? 'household' : c.customerType,
      energy: c.energy === undefined ? 'electricity' : c.energy,
      source: c.source ?? 'consumer',
      kind: c.kind ?? 'complaint',
      status: c.status ?? (c.communicatedAt ? 'closed' : 'in_progress'),
      subject: 'Reclamație de test',
      body: 'Text de test.',
      contactName: 'Ion Popescu',
      contactEmail: 'ion.popescu@example.test',
      receivedAt: new Date(`${c.registeredOn}T08:00:00Z`),
      registeredOn: c.registeredOn,
      dueDate: c.dueDate,
      deadlineRule: { days: c.unit === 'working' ? 15 : 30, unit: c.unit, legalBasis: 'test' },
      answerCommunicatedAt: c.communicatedAt ? new Date(c.communicatedAt) : null,
      answerCommunicatedBy: c.communicatedAt ? 'email' : null,
      filedReason: c.filedReason ?? null,
      closedAt: c.closedAt ? new Date(c.closedAt) : null,
      breachedAt: c.breachedAt ? new Date(c.breachedAt) : null,
      delayDays: c.delayDays ?? null,
      compensationLei: c.compensationLei ?? null,
      compensationPaidOn: c.paidOn ?? null,
      compensationPaidLei: c.paidLei ?? null,
      compensationPaymentMethod: c.paidOn ? 'invoice_credit' : null,
      searchText: 'test',
    })
    .returning({ id: cases.id });
  return row!.id;
}
