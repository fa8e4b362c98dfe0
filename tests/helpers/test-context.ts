import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import postgres from 'postgres';
import { inject } from 'vitest';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildApp, type AppContext } from '../../server/app.ts';
import { installWebBridge, prepareWebEnvironment } from '../../server/web-bridge.ts';
import { loadConfig } from '../../server/config.ts';
import { installationOutboundPolicy } from '../../server/net/outbound-fence.ts';
import { appLogOptions, requestLogOptions } from '../../server/request-log.ts';
import { describeLeaks, scanLogFiles } from './log-scan.ts';
import { createDb, type Db } from '../../server/db/client.ts';
import { runMigrations } from '../../server/db/migrate.ts';
import { dropAppRoles, ensureAppRoles } from '../../server/db/roles.ts';
import { EngineClient } from '../../server/engine/client.ts';
import { deployBaseline } from '../../server/engine/deploy-processes.ts';
import { loadInstructions } from '../../server/instructions/instructions.ts';
import { createMailer } from '../../server/mail/mailer.ts';
import { startProcessStartDispatcher } from '../../server/cases/index.ts';
import { startTaskCompletionDispatcher } from '../../server/tasks/index.ts';
import { DEMO_PASSWORD, seedDemo } from '../../server/seed/demo.ts';
import { ensureUser } from '../../server/seed/tenant-setup.ts';
import { startWorkers } from '../../server/workers/run-workers.ts';
import {
  startTaskEventConsumer,
  type TaskEventConsumer,
} from '../../server/task-read-model/task-event-consumer.ts';

export const PASSWORD = DEMO_PASSWORD;

export const silentLog = { info() {}, warn() {}, error() {} };

export interface TestContext {
  app: FastifyInstance;
  /**
   * The owner's connection (the role that ran the migrations), for fixtures and for reading what the app wrote;
   * the app, the seeding and the workers run as the least-privileged roles (`appDb`, server/db/roles.ts).
   */
  db: Db;
  /** The API's role, as `npm start` connects it. */
  appDb: Db;
  /** The background thread's role (workers, sealer, housekeeping). */
  workersDb: Db;
  engine: EngineClient;
  /**
   * The engine's address and Basic authorization, for tests that look at (or poke) the engine behind the app's
   * back. The product never has these outside server/engine (EngineClient keeps them private).
   */
  engineRest: { url: string; authorization: string };
  /** The inbox read model's consumer, when asked for (`taskEvents: true`). */
  taskEvents: TaskEventConsumer | undefined;
  databaseUrl: string;
  /** Where this context's app, workers and dispatchers log (debug level, npm start's redaction). */
  logFile: string;
  demoTenantId: string;
  acmeTenantId: string;
  /** Logs in and returns a Bearer header. */
  login(email: string): Promise<{ authorization: string }>;
  /** Lets the workers (when on) take a tenant's external tasks too: for tenants a test creates (tests/factories). */
  serveTenant(tenantId: string): Promise<void>;
  close(): Promise<void>;
}

/** A fresh database with the real migrations, the DEMO and ACME tenants, the real engine and mail server. */
export async function createTestContext(
  opts: {
    workers?: boolean;
    engineUrl?: string;
    engineCredentials?: { user: string; password: string };
    /** Builds the engine client the app, the workers and the dispatchers use (e.g. one that fails on purpose). */
    engineClient?: (opts: ConstructorParameters<typeof EngineClient>[0]) => EngineClient;
    /** Serve the SvelteKit pages and listen on this port (browser tests). */
    webPort?: number;
    /** Feed the inbox read model from the engine's task events, as `npm start` does (default true). */
    taskEvents?: boolean;
    /** Installation settings as environment variables (e.g. STAFF_TOTP_REQUIRED: the production rule). */
    env?: Record<string, string>;
  } = {},
): Promise<TestContext> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `t_${randomBytes(5).toString('hex')}`;
  // A real logger at debug level with npm start's redaction, one file per context, so that what the run logs can
  // be searched for secrets (tests/helpers/log-scan.ts, issue 13 item 9).
  const logFile = path.join(inject('testDataDir'), 'logs', `${name}.log`);
  mkdirSync(path.dirname(logFile), { recursive: true });
  const logStream = pino.destination({ dest: logFile, sync: true });
  const log = pino(appLogOptions('debug'), logStream);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  await runMigrations(databaseUrl);
  const secret = inject('appSecret');
  const roleUrls = await ensureAppRoles(databaseUrl, secret);
  // The owner: the tests' own set-up and checks, which row-level security does not filter (server/db/roles.ts).
  const { db, sql } = createDb(databaseUrl, { max: 4, scoped: false });
  const { db: appDb, sql: appSql } = createDb(roleUrls.api, { max: 10 });
  const { db: workersDb, sql: workersSql } = createDb(roleUrls.workers, { max: 6 });
  const publicUrl = opts.webPort ? `http://localhost:${opts.webPort}` : 'http://localhost:3000';
  const { demoTenantId, acmeTenantId } = await seedDemo(appDb, publicUrl);
  // A staff member of the other tenant, to prove isolation.
  await ensureUser(db, {
    tenantId: acmeTenantId,
    email: `officer-${name}@acme.local`,
    name: 'Acme Officer',
    password: PASSWORD,
    roles: ['officer', 'supervisor'],
    jobRoles: ['RSP', 'SEF'],
  });
  const engineOptions = {
    url: opts.engineUrl ?? inject('engineUrl'),
    user: opts.engineCredentials?.user ?? inject('engineUser'),
    password: opts.engineCredentials?.password ?? inject('enginePassword'),
  };
  const engine = opts.engineClient ? opts.engineClient(engineOptions) : new EngineClient(engineOptions);
  await deployBaseline(engine, demoTenantId);
  await deployBaseline(engine, acmeTenantId);

  const config = loadConfig({ ...opts.env, PUBLIC_URL: publicUrl, DATA_DIR: inject('testDataDir') });
  let webHandler: AppContext['webHandler'];
  if (opts.webPort) {
    // adapter-node reads ORIGIN and ADDRESS_HEADER when its handler module loads.
    process.env.ORIGIN = publicUrl;
    prepareWebEnvironment(publicUrl);
    const file = fileURLToPath(new URL('../../web/build/handler.js', import.meta.url));
    webHandler = (
      (await import(pathToFileURL(file).href)) as { handler: NonNullable<AppContext['webHandler']> }
    ).handler;
  }
  // The API sends mail itself only for the portal's one-time codes (to the real local mail server).
  const apiMailer = createMailer(inject('smtpUrl'), 'Reclamații <noreply@reclamatii.local>');
  const app = await buildApp(
    {
      config,
      db: appDb,
      engine,
      secret,
      mailer: apiMailer,
      instructions: await loadInstructions(),
      log,
      webHandler,
      // As an operator who allowed the run's own mail server for tenants' mailbox settings (OUTBOUND_ALLOW_HOSTS;
      // npm start does not); the database's and the engine's ports are the installation's own.
      outbound: installationOutboundPolicy(config, {
        allow: [`${inject('imapHost')}:${inject('imapPort')}`],
        serviceUrls: [databaseUrl, engineOptions.url],
      }),
    },
    { logger: requestLogOptions('debug', logStream) },
  );
  if (opts.webPort) {
    installWebBridge(app, publicUrl, false);
    await app.listen({ port: opts.webPort, host: 'localhost' });
  } else {
    await app.ready();
  }

  const stops: Array<() => unknown> = [];
  // The workers take only this context's tenants' external tasks (the engine is shared by every test file).
  const workerTenants = [demoTenantId, acmeTenantId];
  let serveTenant = async (tenantId: string) => void workerTenants.push(tenantId);
  if (opts.workers) {
    const mailer = createMailer(inject('smtpUrl'), 'Reclamații <noreply@reclamatii.local>');
    const start = () =>
      startWorkers(
        engine,
        { db: workersDb, mailer, secret, log },
        { concurrency: 4, tenantIds: [...workerTenants], workerId: name },
      );
    let workers = start();
    serveTenant = async (tenantId) => {
      workerTenants.push(tenantId);
      // A subscription's tenants are fixed when it starts: start again with the new one.
      workers.stop();
      workers = start();
    };
    const dispatcher = startProcessStartDispatcher(workersDb, engine, log, { intervalMs: 200 });
    const completions = startTaskCompletionDispatcher(workersDb, engine, log, { intervalMs: 200 });
    stops.push(
      () => workers.stop(),
      () => dispatcher.stop(),
      () => completions.stop(),
      () => mailer.close(),
    );
  }

  let taskEvents: TaskEventConsumer | undefined;
  if (opts.taskEvents !== false) {
    taskEvents = startTaskEventConsumer(appDb, inject('engineDatabaseUrl'), log, { pollMs: 1000 });
    await taskEvents.ready;
    stops.push(() => taskEvents?.stop());
  }

  return {
    app,
    db,
    appDb,
    workersDb,
    engine,
    engineRest: {
      url: engineOptions.url.replace(/\/$/, ''),
      authorization: `Basic ${Buffer.from(`${engineOptions.user}:${engineOptions.password}`).toString('base64')}`,
    },
    taskEvents,
    databaseUrl,
    logFile,
    demoTenantId,
    acmeTenantId,
    serveTenant: (tenantId) => serveTenant(tenantId),
    async login(email: string) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login ${email} failed: ${res.statusCode} ${res.body}`);
      return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
    },
    async close() {
      for (const s of stops) await s();
      await app.close();
      apiMailer.close();
      await appSql.end({ timeout: 5 });
      await workersSql.end({ timeout: 5 });
      await sql.end({ timeout: 5 });
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
      await dropAppRoles(adminUrl, name);
      logStream.end();
      // No test file's run may have logged a credential (issue 13 item 9).
      const leaks = scanLogFiles(
        [logFile],
        [
          { what: 'APP_SECRET', value: secret },
          ...(engineOptions.password.length >= 16
            ? [{ what: 'the engine password', value: engineOptions.password }]
            : []),
        ],
      );
      if (leaks.length) throw new Error(describeLeaks(leaks));
      // Clean: not kept (a leak's log stays for reading).
      rmSync(logFile, { force: true });
    },
  };
}
