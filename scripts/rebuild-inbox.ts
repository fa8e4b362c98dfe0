/**
 * Rebuilds the inbox read model (the `tasks` table) from the engine's open tasks:
 *
 *   npm run rebuild:inbox                  every tenant
 *   npm run rebuild:inbox -- --tenant DEMO one tenant
 *
 * For when the consumer of the engine's task events missed some (server/task-read-model/rebuild.ts says why it is
 * safe while servers run). The services come from the environment as for `npm start` (DATABASE_URL, ENGINE_URL,
 * ENGINE_USER, ENGINE_PASSWORD); unset, the embedded ones of a running `npm start`, else started for the run.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../server/config.ts';
import { createDb } from '../server/db/client.ts';
import { StartupError } from '../server/embedded/startup-error.ts';
import { EngineClient } from '../server/engine/client.ts';
import { services } from '../server/seed/demo-seed-cli.ts';
import { rebuildInbox } from '../server/task-read-model/index.ts';
import { getTenantByCode } from '../server/tenants/index.ts';

export async function rebuildInboxCli(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const i = argv.indexOf('--tenant');
  const code = (argv.find((a) => a.startsWith('--tenant='))?.slice(9) ?? (i >= 0 ? argv[i + 1] : undefined))
    ?.trim()
    .toUpperCase();
  const config = loadConfig(env);
  const log = {
    info() {},
    warn: (o: unknown, m?: string) => console.warn(m ?? (typeof o === 'string' ? o : JSON.stringify(o))),
    error: (o: unknown, m?: string) => console.error(m ?? (typeof o === 'string' ? o : JSON.stringify(o))),
  };
  const svc = await services(config, log);
  // An operator's command on the owner's URL, which row-level security does not filter (server/db/roles.ts).
  const { db, sql } = createDb(svc.databaseUrl, { max: 4, scoped: false });
  try {
    let tenantIds: string[] | undefined;
    if (code) {
      const tenant = await getTenantByCode(db, code);
      if (!tenant) throw new Error(`There is no tenant with the code ${code}.`);
      tenantIds = [tenant.id];
    }
    const started = Date.now();
    const r = await rebuildInbox(db, new EngineClient(svc.engine), { tenantIds });
    return (
      `Inbox read model rebuilt for ${r.tenants} tenant${r.tenants === 1 ? '' : 's'} in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s: ${r.engineOpen} open task${r.engineOpen === 1 ? '' : 's'} in the engine, ` +
      `${r.repaired} row${r.repaired === 1 ? '' : 's'} repaired, ${r.closed} closed.`
    );
  } finally {
    await sql.end({ timeout: 5 });
    await svc.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rebuildInboxCli(process.argv.slice(2), process.env).then(
    (m) => {
      process.stdout.write(`${m}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      const e = err as Error;
      console.error(e instanceof StartupError ? `${e.message} ${e.fix}` : e.message);
      process.exit(1);
    },
  );
}
