import type { Db } from '../db/client.ts';
import type { PermissionRole } from '../db/schema/index.ts';
import { ensureTenant, ensureUser, seedCustomers } from './tenant-setup.ts';

export const DEMO_PASSWORD = 'Demo-2026!';

export const DEMO_USERS: Array<{
  email: string;
  name: string;
  roles: PermissionRole[];
  jobRoles: string[];
  what: string;
}> = [
  {
    email: 'agent@demo.local',
    name: 'Ana Agent',
    roles: ['agent'],
    jobRoles: ['OCC'],
    what: 'agent call center',
  },
  {
    email: 'officer@demo.local',
    name: 'Oana Ofițer',
    roles: ['officer'],
    jobRoles: ['RSP', 'SF', 'SM'],
    what: 'responsabil reclamații',
  },
  {
    email: 'supervisor@demo.local',
    name: 'Sorin Supervizor',
    roles: ['supervisor', 'officer'],
    jobRoles: ['SEF'],
    what: 'șef serviciu',
  },
  {
    email: 'designer@demo.local',
    name: 'Dana Designer',
    roles: ['designer'],
    jobRoles: [],
    what: 'proiectant procese',
  },
  {
    email: 'admin@demo.local',
    name: 'Adrian Admin',
    roles: ['admin'],
    jobRoles: [],
    what: 'administrator furnizor',
  },
];

/** The demo tenants: DEMO (with staff for every role) and ACME (customers only, to show isolation). */
export async function seedDemo(
  db: Db,
  publicUrl: string,
): Promise<{ demoTenantId: string; acmeTenantId: string }> {
  const demoTenantId = await ensureTenant(db, {
    code: 'DEMO',
    name: 'Demo Energie SA',
    intakeEmail: 'demo@reclamatii.local',
    publicUrl,
  });
  const acmeTenantId = await ensureTenant(db, {
    code: 'ACME',
    name: 'Acme Gaz SRL',
    intakeEmail: 'acme@reclamatii.local',
    publicUrl,
  });
  await seedCustomers(db, demoTenantId, 'DEMO');
  await seedCustomers(db, acmeTenantId, 'ACME');
  for (const u of DEMO_USERS) await ensureUser(db, { ...u, tenantId: demoTenantId, password: DEMO_PASSWORD });
  return { demoTenantId, acmeTenantId };
}
