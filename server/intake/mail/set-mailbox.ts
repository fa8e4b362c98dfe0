/**
 * Points a tenant's e-mail intake at its production mailbox (the password is stored AES-256-GCM encrypted):
 *
 *   [DATABASE_URL=... APP_SECRET=...] MAILBOX_PASSWORD=... \
 *     npx tsx server/intake/mail/set-mailbox.ts --tenant DEMO --host imap.furnizor.ro --port 993 \
 *       --user reclamatii@furnizor.ro [--insecure] [--mailbox INBOX] [--processed Processed] [--quarantine Quarantine]
 *
 * `--disable` turns the intake off for the tenant; `--reset` forgets its settings (password included), so it reads
 * its intake address on the local mail server again. Without a row, a tenant reads its intake address on the local
 * mail server (embedded default only). Without DATABASE_URL and APP_SECRET it writes to the embedded database of
 * `npm start` with the secret it keeps in the data folder, as audit:verify does.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config.ts';
import { createDb } from '../../db/client.ts';
import { embeddedDefaults } from '../../embedded/secrets.ts';
import { getTenantByCode } from '../../tenants/index.ts';
import { deleteMailAccount, saveMailAccount } from './mail-accounts.repo.ts';

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

export async function setMailbox(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const need = (v: string | undefined, what: string) => {
    if (!v) throw new Error(`${what} is required`);
    return v;
  };
  // An operator's command on the owner's URL, which row-level security does not filter (server/db/roles.ts).
  const defaults = embeddedDefaults(env, loadConfig(env));
  const { db, sql } = createDb(defaults.databaseUrl, { max: 1, scoped: false });
  try {
    const code = need(flag(argv, 'tenant'), '--tenant');
    const tenant = await getTenantByCode(db, code);
    if (!tenant) throw new Error(`no tenant ${code}`);
    if (argv.includes('--reset'))
      return (await deleteMailAccount(db, tenant.id))
        ? `mailbox of ${code} forgotten: it reads its intake address on the local mail server again`
        : `${code} had no mailbox settings: nothing to forget`;
    const secure = !argv.includes('--insecure');
    await saveMailAccount(db, defaults.appSecret(), tenant.id, {
      host: need(flag(argv, 'host'), '--host'),
      port: Number(flag(argv, 'port') ?? (secure ? 993 : 143)),
      secure,
      username: need(flag(argv, 'user'), '--user'),
      password: need(env.MAILBOX_PASSWORD, 'MAILBOX_PASSWORD'),
      mailbox: flag(argv, 'mailbox'),
      processedFolder: flag(argv, 'processed'),
      quarantineFolder: flag(argv, 'quarantine'),
      enabled: !argv.includes('--disable'),
    });
    return `mailbox of ${code} saved`;
  } finally {
    await sql.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  setMailbox(process.argv.slice(2), process.env).then(
    (m) => process.stdout.write(`${m}\n`),
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(1);
    },
  );
}
