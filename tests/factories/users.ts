import { randomBytes, randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { tenants, type PermissionRole } from '../../server/db/schema/index.ts';
import { ensureUser } from '../../server/seed/tenant-setup.ts';
import { PASSWORD, type TestContext } from '../helpers/test-context.ts';
import type { Headers } from '../helpers/tasks.ts';

export interface FactoryUser {
  id: string;
  email: string;
  name: string;
  /** Signs in through the API (the demo password) and returns a Bearer header. */
  login(): Promise<Headers>;
}

/**
 * A staff member, as the seed creates one (the password hashed, the job roles held). By default a complaint
 * officer (RSP) of DEMO with a fresh address, so that tests never meet each other's accounts; give `email` or
 * `name` when the page under test shows them.
 */
export async function createUser(
  t: TestContext,
  {
    tenantId = t.demoTenantId,
    roles = ['officer'],
    jobRoles = ['RSP'],
    name = 'Andrei Testescu',
    email,
  }: {
    tenantId?: string;
    roles?: PermissionRole[];
    jobRoles?: string[];
    name?: string;
    email?: string;
  } = {},
): Promise<FactoryUser> {
  const address = email ?? (await freshStaffEmail(t, tenantId, roles[0] ?? 'staff'));
  const id = await ensureUser(t.db, { tenantId, email: address, name, password: PASSWORD, roles, jobRoles });
  return {
    id,
    email: address,
    name,
    // From a client address of its own: a file that signs many people in stays under the per-address limit.
    async login() {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: address, password: PASSWORD },
        remoteAddress: `10.77.${randomInt(256)}.${randomInt(1, 255)}`,
      });
      if (res.statusCode !== 200) throw new Error(`login ${address} failed: ${res.statusCode} ${res.body}`);
      return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
    },
  };
}

/** A new address at the tenant's domain, e.g. officer-3f9a1c@demo.local. */
async function freshStaffEmail(t: TestContext, tenantId: string, prefix: string): Promise<string> {
  const [tenant] = await t.db.select({ code: tenants.code }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw new Error(`no tenant ${tenantId}`);
  return `${prefix}-${randomBytes(3).toString('hex')}@${tenant.code.toLowerCase()}.local`;
}
