import type { DbOrTx } from '../db/client.ts';
import type { PermissionRole } from '../db/schema/index.ts';
import { hashPassword } from '../auth/index.ts';
import { upsertStaff } from './users.repo.ts';

/**
 * A staff account as the demo and the tests set it up: created with its password, or renamed when the e-mail
 * exists. No audit and no password link: this is provisioning, not an administrator's act (users.service.ts).
 */
export async function ensureStaffAccount(
  db: DbOrTx,
  u: { tenantId: string; email: string; name: string; password: string; roles: PermissionRole[] },
): Promise<string> {
  return upsertStaff(db, {
    tenantId: u.tenantId,
    email: u.email,
    name: u.name,
    roles: u.roles,
    passwordHash: await hashPassword(u.password),
  });
}
