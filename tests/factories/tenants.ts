import { randomBytes } from 'node:crypto';
import { deployBaseline } from '../../server/engine/deploy-processes.ts';
import { ensureTenant } from '../../server/seed/tenant-setup.ts';
import type { TestContext } from '../helpers/test-context.ts';

export interface FactoryTenant {
  id: string;
  code: string;
  name: string;
  intakeEmail: string;
}

/**
 * A tenant of its own, as an installation creates one: the tenant row with its default deadline rules and
 * organisation chart (the seed's ensureTenant), the complaint process deployed for it in the real engine, and the
 * context's workers (when on) taking its external tasks. For tests that must not see the DEMO and ACME tenants
 * every context already has, or what the file's other tests did to them.
 */
export async function createTenant(
  t: TestContext,
  { code = `T${randomBytes(3).toString('hex').toUpperCase()}`, name }: { code?: string; name?: string } = {},
): Promise<FactoryTenant> {
  const tenant = {
    code,
    name: name ?? `Furnizor de test ${code} SRL`,
    intakeEmail: `${code.toLowerCase()}@reclamatii.local`,
  };
  const id = await ensureTenant(t.db, tenant);
  await deployBaseline(t.engine, id);
  await t.serveTenant(id);
  return { id, ...tenant };
}
