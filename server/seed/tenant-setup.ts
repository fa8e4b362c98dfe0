import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import {
  customers,
  deadlineRules,
  departments,
  jobRoleHolders,
  jobRoles,
  places,
  tenants,
  users,
  type PermissionRole,
} from '../db/schema/index.ts';
import { searchText } from '../db/search-text.ts';
import { hashPassword } from '../auth/passwords.ts';
import { DEFAULT_DEADLINE_RULES } from '../deadlines/default-rules.ts';
import { JOB_ROLES } from '../codes/job-roles.ts';

/**
 * The demo customers and places: the team's shared data set (../shared/data) when this checkout sits beside it,
 * else the copy committed in server/seed/data.
 */
export function demoDataDir(): string {
  const shared = fileURLToPath(new URL('../../../shared/data', import.meta.url));
  return existsSync(`${shared}/customers.csv`) ? shared : fileURLToPath(new URL('./data', import.meta.url));
}

/** A tiny RFC 4180 CSV reader (quoted fields with commas and doubled quotes). */
export function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...data] = rows;
  if (!header) return [];
  return data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** Creates a tenant with its default deadline rules and organisation chart, idempotently. Returns its id. */
export async function ensureTenant(
  db: Db,
  t: { code: string; name: string; intakeEmail: string; publicUrl?: string },
): Promise<string> {
  const [row] = await db
    .insert(tenants)
    .values({
      code: t.code,
      name: t.name,
      intakeEmail: t.intakeEmail,
      // The distribution operator's address for data requests; a tenant admin sets the real one.
      operatorEmail: `od-${t.code.toLowerCase()}@distributie.local`,
      ...(t.publicUrl ? { publicUrl: t.publicUrl } : {}),
    })
    .onConflictDoUpdate({ target: tenants.code, set: { name: t.name } })
    .returning({ id: tenants.id });
  if (!row) throw new Error('tenant not created');
  const tenantId = row.id;
  await db
    .insert(deadlineRules)
    .values(
      Object.entries(DEFAULT_DEADLINE_RULES).map(([category, r]) => ({
        tenantId,
        category,
        ...r,
        extensionAllowed: r.extensionDays > 0,
      })),
    )
    .onConflictDoNothing();
  // A small organisation chart: customer relations (front and back office) and the specialists.
  const existing = await db.execute<{ n: number }>(
    sql`select count(*)::int as n from departments where tenant_id = ${tenantId}`,
  );
  if ((existing[0]?.n ?? 0) === 0) {
    const [rel] = await db
      .insert(departments)
      .values({ tenantId, name: 'Serviciul Relații Clienți' })
      .returning();
    const [spec] = await db
      .insert(departments)
      .values({ tenantId, name: 'Serviciul Facturare și Măsurare' })
      .returning();
    const [legal] = await db
      .insert(departments)
      .values({ tenantId, name: 'Juridic și Conformitate' })
      .returning();
    if (!rel || !spec || !legal) throw new Error('departments not created');
    const deptOf: Record<string, string> = {
      SF: spec.id,
      SM: spec.id,
      FIN: spec.id,
      SP: spec.id,
      CJ: legal.id,
      DPO: legal.id,
      SRR: legal.id,
    };
    await db
      .insert(jobRoles)
      .values(
        Object.entries(JOB_ROLES).map(([code, name]) => ({
          tenantId,
          code,
          name,
          departmentId: deptOf[code] ?? rel.id,
        })),
      )
      .onConflictDoNothing();
  }
  return tenantId;
}

export async function ensureUser(
  db: Db,
  u: {
    tenantId: string;
    email: string;
    name: string;
    password: string;
    roles: PermissionRole[];
    jobRoles: string[];
  },
): Promise<string> {
  const [row] = await db
    .insert(users)
    .values({
      tenantId: u.tenantId,
      email: u.email,
      name: u.name,
      passwordHash: await hashPassword(u.password),
      roles: u.roles,
    })
    .onConflictDoUpdate({ target: users.email, set: { name: u.name } })
    .returning({ id: users.id });
  if (!row) throw new Error('user not created');
  if (u.jobRoles.length) {
    await db
      .insert(jobRoleHolders)
      .values(u.jobRoles.map((code) => ({ tenantId: u.tenantId, userId: row.id, jobRoleCode: code })))
      .onConflictDoNothing();
  }
  return row.id;
}

/** Loads the customers and places of consumption of one tenant from ../shared/data, idempotently. */
export async function seedCustomers(
  db: Db,
  tenantId: string,
  tenantCode: string,
  dir = demoDataDir(),
): Promise<number> {
  const cs = parseCsv(await readFile(`${dir}/customers.csv`, 'utf8')).filter((r) => r.tenant === tenantCode);
  const ps = parseCsv(await readFile(`${dir}/places.csv`, 'utf8')).filter((r) => r.tenant === tenantCode);
  const placesByCustomer = new Map<string, Array<Record<string, string>>>();
  for (const p of ps)
    placesByCustomer.set(p.customer_code ?? '', [...(placesByCustomer.get(p.customer_code ?? '') ?? []), p]);
  for (const c of cs) {
    const own = placesByCustomer.get(c.customer_code ?? '') ?? [];
    const [row] = await db
      .insert(customers)
      .values({
        tenantId,
        customerCode: c.customer_code ?? '',
        name: c.name ?? '',
        customerType: c.customer_type === 'noncasnic' ? 'noncasnic' : 'casnic',
        email: c.email || null,
        phone: c.phone || null,
        address: c.address ?? '',
        searchText: searchText(c.name, c.customer_code, c.email, c.phone, c.address),
      })
      .onConflictDoUpdate({
        target: [customers.tenantId, customers.customerCode],
        set: { name: c.name ?? '' },
      })
      .returning({ id: customers.id });
    if (!row) continue;
    for (const p of own) {
      await db
        .insert(places)
        .values({
          tenantId,
          customerId: row.id,
          placeCode: p.place_code ?? '',
          energy: p.energy === 'gaze_naturale' ? 'gaze_naturale' : 'energie_electrica',
          address: p.address ?? '',
          contractNumber: p.contract_number || null,
          meterSerial: p.meter_serial || null,
        })
        .onConflictDoNothing();
    }
  }
  return cs.length;
}
