/**
 * Seeds the demo cases (server/seed/demo-cases.ts) into a tenant an admin names:
 *
 *   npm run demo:seed -- --tenant DEMO
 *
 * The services come from the environment as for `npm start` (DATABASE_URL, ENGINE_URL, ENGINE_USER,
 * ENGINE_PASSWORD, SMTP_URL, APP_SECRET). With DATABASE_URL unset it uses the embedded default: the one `npm start`
 * is running now (found on its ports, credentials from .data/secrets), else it starts the embedded services for the
 * time of the run. The tenant gets the demo customers when it has none; its staff must hold the job roles the
 * scenarios use (the DEMO tenant's demo logins do). Its own workers (this tenant only) do the service tasks, so the
 * seeding finishes whether or not a server runs. A second run changes nothing.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../config.ts';
import { createDb } from '../db/client.ts';
import { probePort } from '../embedded/engine-process.ts';
import { startInfrastructure } from '../embedded/infrastructure.ts';
import { claimDataDir } from '../embedded/instance-lock.ts';
import { localSecret } from '../embedded/secrets.ts';
import { StartupError } from '../embedded/startup-error.ts';
import { EngineClient } from '../engine/client.ts';
import { deployBaseline } from '../engine/deploy-processes.ts';
import { createMailer } from '../mail/mailer.ts';
import { startProcessStartDispatcher } from '../cases/index.ts';
import type { Logger } from '../logger.ts';
import { getTenantByCode } from '../tenants/index.ts';
import { startWorkers } from '../workers/run-workers.ts';
import { DEMO_CASE_STAGES, seedDemoCases, type DemoCaseKey } from './demo-cases.ts';
import { seedCustomers } from './tenant-setup.ts';
import { customerCount } from './seed.repo.ts';

/** A failure said in one sentence, without a stack trace. */
class CliError extends Error {}

export interface Services {
  databaseUrl: string;
  engine: { url: string; user: string; password: string };
  smtpUrl: string;
  secret: string;
  stop(): Promise<void>;
}

/**
 * The embedded services a running `npm start` serves (its PostgreSQL answers on the embedded port): the same
 * addresses and the secrets it keeps in the data folder. Starting them again would stop that server's database.
 */
async function runningEmbedded(config: Config): Promise<Services | null> {
  if (config.databaseUrl) return null;
  const { pg, engine, smtp } = config.embeddedPorts;
  if ((await probePort('127.0.0.1', pg, 300)) === null) return null;
  const secretFile = (name: string) => path.join(config.dataDir, 'secrets', name);
  if (!config.engineUrl && !existsSync(secretFile('engine-password')))
    throw new CliError(`Port 127.0.0.1:${pg} is in use but ${secretFile('engine-password')} is missing.`);
  return {
    databaseUrl: `postgres://postgres:postgres@127.0.0.1:${pg}/reclamatii`,
    engine: config.engineUrl
      ? { url: config.engineUrl, user: config.engineUser, password: config.enginePassword }
      : {
          url: `http://127.0.0.1:${engine}/engine-rest`,
          user: 'reclamatii',
          password: await localSecret(config.dataDir, 'engine-password'),
        },
    smtpUrl: config.smtpUrl ?? `smtp://127.0.0.1:${smtp}`,
    secret: config.appSecret ?? (await localSecret(config.dataDir, 'app-secret')),
    async stop() {},
  };
}

/** The services of `npm start` for a command-line tool (also npm run rebuild:inbox, scripts/rebuild-inbox.ts). */
export async function services(config: Config, log: Logger): Promise<Services> {
  const running = await runningEmbedded(config);
  if (running) return running;
  // Started here, the embedded services are this command's until it ends: an npm start meanwhile must wait.
  const release =
    !config.databaseUrl || !config.engineUrl || !config.smtpUrl ? claimDataDir(config.dataDir) : () => {};
  const infra = await startInfrastructure(
    config,
    { info: () => {}, warn: (m) => log.warn(m) },
    {
      pgPort: config.embeddedPorts.pg,
      enginePort: config.embeddedPorts.engine,
      smtpPort: config.embeddedPorts.smtp,
      imapPort: config.embeddedPorts.imap,
    },
  );
  return {
    databaseUrl: infra.databaseUrl,
    engine: { url: infra.engineUrl, user: infra.engineUser, password: infra.enginePassword },
    smtpUrl: infra.smtpUrl,
    secret: infra.secret,
    stop: () => infra.stop().finally(release),
  };
}

function flag(argv: string[], name: string): string | undefined {
  const eq = argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) return eq.slice(name.length + 3);
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

export async function demoSeedCli(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const code = flag(argv, 'tenant')?.trim().toUpperCase();
  if (!code) throw new CliError('Name the tenant: npm run demo:seed -- --tenant DEMO');
  const config = loadConfig(env);
  // Warnings and errors only: the summary is what this command prints.
  const log: Logger = {
    info() {},
    warn: (o, m) => console.warn(m ?? (typeof o === 'string' ? o : JSON.stringify(o))),
    error: (o, m) => console.error(m ?? (typeof o === 'string' ? o : JSON.stringify(o))),
  };
  const svc = await services(config, log);
  // An operator's command on the owner's URL, which row-level security does not filter (server/db/roles.ts).
  const { db, sql } = createDb(svc.databaseUrl, { max: 8, scoped: false });
  const mailer = createMailer(svc.smtpUrl, config.mailFrom);
  const stops: Array<() => unknown> = [];
  try {
    const tenant = await getTenantByCode(db, code).catch((err: Error) => {
      throw new CliError(`The database at ${new URL(svc.databaseUrl).host} cannot be read: ${err.message}.`);
    });
    if (!tenant) throw new CliError(`There is no tenant with the code ${code}.`);
    const n = await customerCount(db, tenant.id);
    if (n === 0) await seedCustomers(db, tenant.id, 'DEMO');
    const engine = new EngineClient(svc.engine);
    await deployBaseline(engine, tenant.id);
    const workers = startWorkers(
      engine,
      { db, mailer, secret: svc.secret, log },
      { concurrency: 4, tenantIds: [tenant.id], workerId: `demo-seed-${process.pid}` },
    );
    // Process starts the engine could not take at registration are retried, as by npm start.
    const dispatcher = startProcessStartDispatcher(db, engine, log);
    stops.push(
      () => workers.stop(),
      () => dispatcher.stop(),
    );
    const started = Date.now();
    const report = await seedDemoCases({ db, engine, secret: svc.secret, log, mailer }, tenant.id);
    if (report.busy) return `Demo cases of ${code}: another seeding of this tenant is running; nothing done.`;
    const line = (key: string, number: string, note: string) =>
      `  ${number}  ${DEMO_CASE_STAGES[key as DemoCaseKey]}${note}`;
    const created = Object.entries(report.created);
    const resumed = Object.entries(report.resumed);
    const present = Object.entries(report.present);
    return [
      created.length || resumed.length
        ? `Demo cases seeded in ${code} (${((Date.now() - started) / 1000).toFixed(1)} s):`
        : `Demo cases of ${code} were already there; nothing done.`,
      ...created.map(([k, n]) => line(k, n, '')),
      ...resumed.map(([k, n]) => line(k, n, ' (begun by an earlier run, finished now)')),
      ...present.map(([k, n]) => line(k, n, ' (already there)')),
      n === 0 ? `  (the tenant had no customers: the demo customers were added)` : '',
    ]
      .filter(Boolean)
      .join('\n');
  } finally {
    for (const s of stops.reverse()) await s();
    mailer.close();
    await sql.end({ timeout: 5 });
    await svc.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  demoSeedCli(process.argv.slice(2), process.env).then(
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
