import type { DbOrTx } from '../db/client.ts';
import type { PermissionRole } from '../db/schema/index.ts';
import { hashPassword, upsertStaffAccount } from '../auth/index.ts';

/**
 * A staff account as the demo and the tests set it up: created with its password, or renamed when the e-mail
 * exists. No audit and no password link: this is provisioning, not an administrator's act (users.service.ts).
 */
export async function ensureStaffAccount(
  db: DbOrTx,
  u: { tenantId: string; email: string; name: string; password: string; roles: PermissionRole[] },
): Promise<string> {
  return upsertStaffAccount(db, {
    tenantId: u.tenantId,
    email: u.email,
    name: u.name,
    roles: u.roles,
    passwordHash: await hashPassword(u.password),
  });
}
