import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { mailAccounts, type MailAccount } from '../../db/schema/index.ts';
import { decryptSecret, encryptSecret } from './credentials.ts';
import type { MailboxConfig } from './mailbox-watcher.ts';

export interface MailAccountInput {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  password: string;
  mailbox?: string;
  processedFolder?: string;
  quarantineFolder?: string;
  enabled?: boolean;
}

/** Saves a tenant's mailbox settings; the password is stored encrypted (AES-256-GCM, key from the app secret). */
export async function saveMailAccount(db: DbOrTx, secret: string, tenantId: string, a: MailAccountInput) {
  const values = {
    host: a.host,
    port: a.port,
    secure: a.secure,
    username: a.username,
    passwordEnc: encryptSecret(secret, a.password),
    mailbox: a.mailbox ?? 'INBOX',
    processedFolder: a.processedFolder ?? 'Processed',
    quarantineFolder: a.quarantineFolder ?? 'Quarantine',
    enabled: a.enabled ?? true,
    updatedAt: new Date(),
  };
  await db
    .insert(mailAccounts)
    .values({ tenantId, ...values })
    .onConflictDoUpdate({ target: mailAccounts.tenantId, set: values });
}

/**
 * Forgets a tenant's mailbox settings (password included): its intake goes back to the default, its intake address
 * on the local mail server of `npm start` (none in production). Returns whether there were settings.
 */
export async function deleteMailAccount(db: DbOrTx, tenantId: string): Promise<boolean> {
  const rows = await db
    .delete(mailAccounts)
    .where(eq(mailAccounts.tenantId, tenantId))
    .returning({ tenantId: mailAccounts.tenantId });
  return rows.length > 0;
}

export async function getMailAccount(db: DbOrTx, tenantId: string): Promise<MailAccount | null> {
  const [row] = await db.select().from(mailAccounts).where(eq(mailAccounts.tenantId, tenantId));
  return row ?? null;
}

export function toMailboxConfig(secret: string, a: MailAccount): MailboxConfig {
  return {
    host: a.host,
    port: a.port,
    secure: a.secure,
    user: a.username,
    pass: decryptSecret(secret, a.passwordEnc),
    mailbox: a.mailbox,
    processedFolder: a.processedFolder,
    quarantineFolder: a.quarantineFolder,
  };
}
