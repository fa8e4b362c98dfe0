import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import closeWithGrace from 'close-with-grace';
import pino from 'pino';
import { buildApp, type AppContext } from './app.ts';
import { loadConfig } from './config.ts';
import { createDb } from './db/client.ts';
import { withAllTenants } from './db/tenant-scope.ts';
import { runMigrations } from './db/migrate.ts';
import { ensureAppRoles } from './db/roles.ts';
import { EngineClient } from './engine/client.ts';
import { deployBaseline } from './engine/deploy-processes.ts';
import { startInfrastructure } from './embedded/infrastructure.ts';
import { claimDataDir } from './embedded/instance-lock.ts';
import { loadInstructions } from './instructions/index.ts';
import { createMailer } from './mail/mailer.ts';
import { housekeepingSettings } from './housekeeping/index.ts';
import { auditAnchorDir } from './audit/index.ts';
import { startBackgroundThread, type BackgroundInit, type BackgroundPart } from './background/thread.ts';
import { startBackgroundParts } from './background/background-parts.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './seed/demo.ts';
import { startDemoCaseSeeding } from './seed/demo-cases.ts';
import { listTenants } from './tenants/index.ts';
import { checkInboxReadModel, startTaskEventConsumer } from './task-read-model/index.ts';
import { installWebBridge, prepareWebEnvironment } from './web-bridge.ts';
import { installationOutboundPolicy } from './net/outbound-fence.ts';
import { appLogOptions, requestLogOptions } from './request-log.ts';
import { consoleReport, describeStartupFailure } from './startup-report.ts';
import { portVariable } from './embedded/startup-error.ts';
import { startRetention } from './retention/index.ts';

type Part = 'api' | 'workers' | 'intake';
const PARTS: Part[] = ['api', 'workers', 'intake'];

function parseArgs(argv: string[]) {
  const only =
    argv.find((a) => a.startsWith('--only='))?.slice(7) ??
    (argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined);
  if (only && !PARTS.includes(only as Part))
    throw new Error(`--only takes ${PARTS.join(', ')}, got "${only}"`);
  return { parts: only ? [only as Part] : PARTS, seedDemo: argv.includes('--seed-demo') };
}

async function loadWebHandler(): Promise<AppContext['webHandler']> {
  const file = fileURLToPath(new URL('../web/build/handler.js', import.meta.url));
  prepareWebEnvironment(loadConfig().publicUrl);
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { handler: NonNullable<AppContext['webHandler']> };
  return mod.handler;
}

async function main() {
  const config = loadConfig();
  const args = parseArgs(process.argv.slice(2));
  // The application log blanks credentials like the request log does (server/request-log.ts).
  const log = pino(appLogOptions(config.logLevel));
  const report = consoleReport();
  const infraLog = { info: (m: string) => report.note(m), warn: (m: string) => report.note(`warning: ${m}`) };
  console.log(`Reclamații is starting (${args.parts.join(', ')}; data in ${config.dataDir}/)`);
  portVariable(config.port, 'PORT');
  portVariable(config.embeddedPorts.smtp, 'EMBEDDED_SMTP_PORT');
  portVariable(config.embeddedPorts.imap, 'EMBEDDED_IMAP_PORT');

  // The embedded services live in the data folder: one run per folder (a second would stop the first's database).
  if (!config.databaseUrl || !config.engineUrl || !config.smtpUrl) claimDataDir(config.dataDir);
  const infra = await startInfrastructure(config, infraLog, {
    pgPort: config.embeddedPorts.pg,
    enginePort: config.embeddedPorts.engine,
    smtpPort: config.embeddedPorts.smtp,
    imapPort: config.embeddedPorts.imap,
    report,
  });
  const engine = new EngineClient({
    url: infra.engineUrl,
    user: infra.engineUser,
    password: infra.enginePassword,
  });
  const mailer = createMailer(infra.smtpUrl, config.mailFrom);

  await report.step('database migrations', () => runMigrations(infra.databaseUrl));
  // Migrations ran as the owner; the API and the workers connect as roles that cannot alter tables or rewrite
  // the audit (issue 13 item 6).
  const dbUrls = await report.step(
    'database roles',
    () => ensureAppRoles(infra.databaseUrl, infra.secret, config.appDatabaseUrl),
    (u) =>
      u.api === u.workers
        ? `${decodeURIComponent(new URL(u.api).username)} (APP_DATABASE_URL)`
        : `${decodeURIComponent(new URL(u.api).username)}, ${decodeURIComponent(new URL(u.workers).username)}`,
  );
  const { db, sql } = createDb(dbUrls.api, { socket: infra.databaseSocket });
  const instructions = await loadInstructions();
  const seeded = infra.embeddedDatabase || args.seedDemo;
  const demo = seeded
    ? await report.step('demo tenants and logins', () => seedDemo(db, config.publicUrl))
    : null;
  await report.step(
    'BPMN processes',
    async () => {
      const tenants = await withAllTenants('start-up: baseline processes of every tenant', () =>
        listTenants(db),
      );
      let changed = 0;
      for (const t of tenants) if ((await deployBaseline(engine, t.id)).changed) changed++;
      return { tenants: tenants.length, changed };
    },
    (r) =>
      `${r.tenants} tenant${r.tenants === 1 ? '' : 's'}, ${r.changed ? `deployed for ${r.changed}` : 'unchanged'}`,
  );

  // Where tenant-chosen connections may go: public servers and what the operator allowed. Not the embedded mail
  // server: it is the platform's own (every tenant's mail and the consumers' demo mailboxes are in it, and it takes
  // any password), so a tenant admin pointing its mailbox at it would read others' mail. An operator who wants a
  // tenant to try it names it in OUTBOUND_ALLOW_HOSTS.
  const outbound = installationOutboundPolicy(config, {
    serviceUrls: [
      infra.databaseUrl,
      infra.engineUrl,
      infra.engineDatabaseUrl ?? undefined,
      infra.imap ? `imap://${infra.imap.host}:${infra.imap.port}` : undefined,
    ],
  });
  const stops: Array<() => Promise<void> | void> = [];
  if (infra.engineDatabaseUrl && (args.parts.includes('api') || args.parts.includes('workers'))) {
    // The inbox read model: every replica runs a consumer; they take turns on the cursor row.
    const consumer = startTaskEventConsumer(db, infra.engineDatabaseUrl, log);
    stops.push(() => consumer.stop());
    // Events the consumer missed (an outbox row lost, a hole given up on) leave the inbox wrong: once it caught
    // up, each tenant's open tasks are counted against the engine's, and a tenant that differs is rebuilt.
    checkInboxReadModel(db, engine, log, { caughtUp: () => consumer.flush() }).catch((err: unknown) =>
      log.warn({ err }, 'inbox read model: the check at start failed'),
    );
  } else if (!infra.engineDatabaseUrl)
    log.warn('ENGINE_DATABASE_URL is unset: the inbox read model is not fed');
  if (args.parts.includes('api')) {
    const webHandler = await loadWebHandler();
    if (!webHandler) log.warn('web/build is missing: run `npm run build:web`; serving the API only');
    const app = await buildApp(
      { config, db, engine, secret: infra.secret, instructions, log, webHandler, mailer, outbound },
      { logger: requestLogOptions(config.logLevel) },
    );
    installWebBridge(app, config.publicUrl, config.production);
    await report.step(
      'web pages and API',
      () => app.listen({ port: config.port, host: config.host }),
      () => `${config.host}:${config.port}`,
    );
    // A stop behind a load balancer: /readyz answers 503 first, and the app stops accepting only once the balancer
    // has seen that (or after SHUTDOWN_DRAIN_MS), so no request is sent to a closing process; close() then lets
    // the requests in flight finish.
    stops.push(async () => {
      await app.readiness.drainUntilSeen(config.shutdownDrainMs);
      await app.close();
    });
  }
  // The intake and the workers read what anyone can send (mail, documents): beside an API, a thread of their own,
  // so a slow message never holds up an API request (issue 13).
  const background = args.parts.filter((p): p is BackgroundPart => p !== 'api');
  if (background.length) {
    const ownAddress = /<([^<>]+)>/.exec(config.mailFrom)?.[1] ?? config.mailFrom;
    const init: BackgroundInit = {
      parts: background,
      databaseUrl: dbUrls.workers,
      databaseSocket: infra.databaseSocket,
      engine: { url: infra.engineUrl, user: infra.engineUser, password: infra.enginePassword },
      engineDatabaseUrl: infra.engineDatabaseUrl,
      secret: infra.secret,
      smtpUrl: infra.smtpUrl,
      mailFrom: config.mailFrom,
      logLevel: config.logLevel,
      workers: {
        concurrency: config.workerConcurrency,
        housekeeping: housekeepingSettings(config),
        auditAnchorDir: auditAnchorDir(config.dataDir),
      },
      intake: {
        localImap: infra.imap,
        // One catch-all mailbox routed by recipient address, for tenants without a mailbox of their own.
        catchAllUrl: process.env.INTAKE_CATCH_ALL_URL ?? null,
        ownAddresses: [ownAddress.toLowerCase()],
      },
    };
    if (args.parts.includes('api')) {
      const thread = startBackgroundThread(init, { log });
      await report.step(
        'mail intake and workers',
        () => thread.ready,
        () => `${background.join(' and ')}, in a thread of their own`,
      );
      stops.push(() => thread.stop());
    } else {
      // No API in this process (a cluster's worker or intake replica): nothing to keep responsive, so the parts
      // run on the main thread, sparing a second load of the code (seconds at every restart) and its memory.
      const parts = await report.step(
        'mail intake and workers',
        () => startBackgroundParts(init, { engine }),
        () => background.join(' and '),
      );
      stops.push(async () => {
        for (const s of parts.reverse()) await s();
      });
    }
  }
  if (args.parts.includes('workers')) {
    // Storage limitation (GDPR art. 5(1)(e)): closed cases past the tenant's retention period are anonymised.
    const retention = startRetention(db, log);
    stops.push(() => retention.stop());
  }
  if (args.parts.includes('workers') && demo) {
    // Cases at every stage, driven through the real process while the workers run: in the background, so the
    // pages are up at once; later starts find them and only check (one query).
    const seeding = startDemoCaseSeeding(
      { db, engine, secret: infra.secret, log, instructions, mailer },
      demo.demoTenantId,
    );
    // The same step line as the rest, printed when the background seeding ends (also on later starts).
    void report.step(
      'demo cases',
      () => seeding.done,
      (r) => {
        if (!r) return 'not seeded: see the log';
        if (r.busy) return 'another seeding of this tenant is running';
        const made = Object.keys(r.created).length + Object.keys(r.resumed).length;
        const present = Object.keys(r.present).length;
        return made ? `${made} worked through the process` : `${present} already there`;
      },
    );
    stops.push(() => seeding.stop());
  }

  const lines = [
    '',
    `  Reclamații is running on ${config.publicUrl} (API and its documentation: ${config.publicUrl}/api/docs)`,
    infra.imap
      ? `  Local mail server: SMTP ${infra.smtpUrl}, IMAP ${infra.imap.host}:${infra.imap.port} (user = the address, any password); read a mailbox with npm run mail -- <address>`
      : '',
    infra.imap && args.parts.includes('intake') && seeded
      ? '  Send a complaint by e-mail to demo@reclamatii.local; README.md, "A ten-minute tour", shows the way through'
      : '',
    ...(seeded
      ? [
          `  Demo logins (password ${DEMO_PASSWORD}):`,
          ...DEMO_USERS.map((u) => `    ${u.email.padEnd(24)} ${u.what}`),
        ]
      : []),
    '  Ctrl-C stops everything.',
    '',
  ].filter((l) => l !== '');
  console.log(lines.join('\n'));

  const grace = closeWithGrace({ delay: 20_000, skip: ['SIGINT', 'SIGTERM'] }, async ({ err }) => {
    if (err) log.error({ err }, 'stopping after an error');
    const started = Date.now();
    for (const s of stops.reverse()) await s();
    mailer.close();
    await sql.end({ timeout: 5 });
    await infra.stop();
    console.log(`  Stopped in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  });
  // Ctrl-C reaches us twice for one key press (the terminal signals the whole process group and npm/tsx pass it
  // on too): a repeat within 2 s is the same press. A later one means "now".
  let stoppingSince = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stoppingSince) {
      stoppingSince = Date.now();
      console.log(
        `\n  Stopping (${signal}): the app, the workers, then the engine, the mail server and PostgreSQL; Ctrl-C again to quit at once.`,
      );
      void grace.close();
    } else if (Date.now() - stoppingSince > 2_000) {
      console.log('  Quitting at once; the next start clears what is left.');
      process.exit(1);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Started by a supervisor (npm run cluster) with a pipe as stdin: when the supervisor dies, even by kill -9,
  // the pipe closes and this process stops in order instead of running on unsupervised.
  if (process.env.EXIT_WITH_PARENT === '1') {
    process.stdin.on('end', () => onSignal('SIGTERM'));
    process.stdin.resume();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(describeStartupFailure(err));
  process.exit(1);
});
