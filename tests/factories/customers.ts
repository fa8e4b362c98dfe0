import { randomInt } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { and, eq, inArray } from 'drizzle-orm';
import { customers, places, tenants } from '../../server/db/schema/index.ts';
import { seedCustomers } from '../../server/seed/tenant-setup.ts';
import type { TestContext } from '../helpers/test-context.ts';

export interface FactoryPlace {
  id: string;
  placeCode: string;
  energy: 'energie_electrica' | 'gaze_naturale';
  contractNumber: string | null;
  meterSerial: string | null;
}

export interface FactoryCustomer {
  id: string;
  customerCode: string;
  name: string;
  email: string | null;
  places: FactoryPlace[];
}

/** Maria Ionescu of the demo data (../shared/data): a household electricity customer with one place. */
export const MARIA_PLACE = 'RO005E512345678';

/**
 * A customer of the demo data set, found by customer code or place code (POD), with its places; for the tests
 * that are about the demo's known people. The default is Maria Ionescu.
 */
export async function demoCustomer(
  t: TestContext,
  code: string = MARIA_PLACE,
  tenantId = t.demoTenantId,
): Promise<FactoryCustomer> {
  const byPlace = await t.db
    .select({ customerId: places.customerId })
    .from(places)
    .where(and(eq(places.tenantId, tenantId), eq(places.placeCode, code)));
  const byCode = await t.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.customerCode, code)));
  const id = byPlace[0]?.customerId ?? byCode[0]?.id;
  if (!id) throw new Error(`no demo customer or place ${code}`);
  return loadCustomer(t, id);
}

/**
 * A new customer with its places, imported the way an installation loads its customers (the seed's CSV import,
 * server/seed/tenant-setup.ts), with codes no other test uses. By default a household in DEMO with one
 * electricity place; `email: null` for one the supplier can only write to by post.
 */
export async function createCustomer(
  t: TestContext,
  {
    tenantId = t.demoTenantId,
    name = 'Elena Testeanu',
    customerType = 'casnic',
    email = `client.${randomInt(1e9)}@client.test`,
    phone = '0744000111',
    address = 'Str. Florilor nr. 5, Iași',
    energies = ['energie_electrica'],
  }: {
    tenantId?: string;
    name?: string;
    customerType?: 'casnic' | 'noncasnic';
    email?: string | null;
    phone?: string | null;
    address?: string;
    /** One place of consumption per entry. */
    energies?: Array<FactoryPlace['energy']>;
  } = {},
): Promise<FactoryCustomer> {
  const [tenant] = await t.db.select({ code: tenants.code }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw new Error(`no tenant ${tenantId}`);
  const customerCode = `9${String(randomInt(1e9)).padStart(9, '0')}`;
  const placeRows = energies.map((energy, i) => ({
    tenant: tenant.code,
    place_code:
      energy === 'gaze_naturale'
        ? `DGN9${String(randomInt(1e6)).padStart(6, '0')}`
        : `RO009E${String(randomInt(1e9)).padStart(9, '0')}`,
    customer_code: customerCode,
    energy,
    address,
    contract_number: `T-${customerCode}/${i + 1}`,
    meter_serial: String(randomInt(1e7, 1e8)),
  }));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'customers-'));
  try {
    await writeFile(
      path.join(dir, 'customers.csv'),
      csv([
        {
          tenant: tenant.code,
          customer_code: customerCode,
          name,
          customer_type: customerType,
          email: email ?? '',
          phone: phone ?? '',
          address,
        },
      ]),
    );
    await writeFile(path.join(dir, 'places.csv'), csv(placeRows));
    await seedCustomers(t.db, tenantId, tenant.code, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const [row] = await t.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.tenantId, tenantId), eq(customers.customerCode, customerCode)));
  if (!row) throw new Error('customer not imported');
  return loadCustomer(t, row.id);
}

async function loadCustomer(t: TestContext, id: string): Promise<FactoryCustomer> {
  const [c] = await t.db.select().from(customers).where(eq(customers.id, id));
  if (!c) throw new Error(`no customer ${id}`);
  const own = await t.db
    .select()
    .from(places)
    .where(inArray(places.customerId, [id]))
    .orderBy(places.placeCode);
  return {
    id: c.id,
    customerCode: c.customerCode,
    name: c.name,
    email: c.email,
    places: own.map((p) => ({
      id: p.id,
      placeCode: p.placeCode,
      energy: p.energy,
      contractNumber: p.contractNumber,
      meterSerial: p.meterSerial,
    })),
  };
}

/** RFC 4180 with every field quoted: the import's parser (parseCsv) reads it back as written. */
function csv(rows: Array<Record<string, string>>): string {
  const header = Object.keys(rows[0] ?? {});
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
  return (
    [header.join(','), ...rows.map((r) => header.map((h) => quote(r[h] ?? '')).join(','))].join('\n') + '\n'
  );
}
