import type { Db } from '../db/client.ts';
import type { PermissionRole } from '../db/schema/index.ts';
import { ensureTenant, ensureUser, seedCustomers } from './tenant-setup.ts';
import { withAllTenants } from '../db/tenant-scope.ts';

export const DEMO_PASSWORD = 'Demo-2026!';

/** Permission roles that work tasks (the `STAFF` of server/routes/api/tasks/index.ts). */
export const TASK_WORKER_ROLES: readonly PermissionRole[] = ['officer', 'supervisor', 'agent'];

/**
 * The demo staff: every job role of the organisation chart (server/codes/job-roles.ts) has a holder with a
 * permission role that works tasks (agent, officer, supervisor), so every user task of the baseline processes can
 * be claimed by some demo login (tests/processes/demo-coverage.test.ts checks it). `what` says in Romanian which
 * work each does; `npm start` prints it beside the address.
 */
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
    what: 'agent call center (OCC): reclamații telefonice, completări cu clientul',
  },
  {
    email: 'officer@demo.local',
    name: 'Oana Ofițer',
    roles: ['officer'],
    jobRoles: ['RSP', 'SF', 'SM'],
    what: 'responsabil reclamații (RSP, SF, SM): clasificare, verificări, răspuns',
  },
  {
    email: 'officer2@demo.local',
    name: 'Ovidiu Țurcanu',
    roles: ['officer'],
    jobRoles: ['RSP'],
    what: 'responsabil reclamații (RSP): clasificare, analiză, răspuns, compensații',
  },
  {
    email: 'registry@demo.local',
    name: 'Raluca Șerban',
    roles: ['officer'],
    jobRoles: ['REG', 'RRC'],
    what: 'registratură și relații clienți (REG, RRC): e-mail, portal, identificare, poștă',
  },
  {
    email: 'finance@demo.local',
    name: 'Florin Dobrescu',
    roles: ['officer'],
    jobRoles: ['FIN'],
    what: 'financiar-contabil (FIN): restituiri și compensări în facturi',
  },
  {
    email: 'metering@demo.local',
    name: 'Mihai Căpraru',
    roles: ['officer'],
    jobRoles: ['SM'],
    what: 'măsurare și relația cu OD (SM): contoare, cereri de date către OD',
  },
  {
    email: 'contracts@demo.local',
    name: 'Corina Bălănescu',
    roles: ['officer'],
    jobRoles: ['SC', 'SSF', 'SRC', 'SP'],
    what: 'contracte (SC, SSF, SRC, SP): contract, schimbare furnizor, deconectări, prosumatori',
  },
  {
    email: 'legal@demo.local',
    name: 'Laurențiu Ionescu-Pană',
    roles: ['officer'],
    jobRoles: ['CJ', 'DPO', 'SRR'],
    what: 'juridic și conformitate (CJ, DPO, SRR): autorități, GDPR, raportări ANRE',
  },
  {
    email: 'supervisor@demo.local',
    name: 'Sorin Supervizor',
    roles: ['supervisor', 'officer'],
    jobRoles: ['SEF'],
    what: 'șef serviciu (SEF): aprobă răspunsurile, escaladări, contestații',
  },
  {
    email: 'designer@demo.local',
    name: 'Dana Designer',
    roles: ['designer'],
    jobRoles: [],
    what: 'proiectant procese: BPMN și DMN',
  },
  {
    email: 'admin@demo.local',
    name: 'Adrian Admin',
    roles: ['admin'],
    jobRoles: [],
    what: 'administrator furnizor: utilizatori, organigramă, setări',
  },
];

/** The demo tenants: DEMO (with staff for every role) and ACME (customers only, to show isolation). */
export async function seedDemo(
  db: Db,
  publicUrl: string,
): Promise<{ demoTenantId: string; acmeTenantId: string }> {
  return withAllTenants('demo seed: the demo tenants and their staff', async () => {
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
    // Each password is hashed anew (argon2, ~30 ms): in parallel, the start and every test file wait less.
    await Promise.all(
      DEMO_USERS.map((u) => ensureUser(db, { ...u, tenantId: demoTenantId, password: DEMO_PASSWORD })),
    );
    return { demoTenantId, acmeTenantId };
  });
}
