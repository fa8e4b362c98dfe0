import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/client.ts';
import type { PermissionRole } from '../db/schema/index.ts';
import { importCustomer } from '../customers/index.ts';
import { ensureDefaultDeadlineRules } from '../deadlines/index.ts';
import { assignJobRoles, ensureDefaultOrgChart } from '../org-chart/index.ts';
import { upsertTenant } from '../tenants/index.ts';
import { ensureStaffAccount } from '../users/index.ts';

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
  const tenantId = await upsertTenant(db, t);
  await ensureDefaultDeadlineRules(db, tenantId);
  await ensureDefaultOrgChart(db, tenantId);
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
  const userId = await ensureStaffAccount(db, u);
  await assignJobRoles(db, u.tenantId, userId, u.jobRoles);
  return userId;
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
    await importCustomer(
      db,
      tenantId,
      {
        customerCode: c.customer_code ?? '',
        name: c.name ?? '',
        customerType: c.customer_type === 'noncasnic' ? 'noncasnic' : 'casnic',
        email: c.email || null,
        phone: c.phone || null,
        address: c.address ?? '',
      },
      own.map((p) => ({
        placeCode: p.place_code ?? '',
        energy: p.energy === 'gaze_naturale' ? 'gaze_naturale' : 'energie_electrica',
        address: p.address ?? '',
        contractNumber: p.contract_number || null,
        meterSerial: p.meter_serial || null,
      })),
    );
  }
  return cs.length;
}
