import { statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { ensureDatabase, startEmbeddedPostgres } from './postgres.ts';
import { localSecret } from './secrets.ts';
import { ENGINE_JAR, ensureEngineJar, startEngine } from './engine-process.ts';
import { silentReport, type StartupReport } from '../startup-report.ts';
import { ensureMailServer, startMailServer } from './mail-process.ts';

export interface Infrastructure {
  databaseUrl: string;
  /** The database server's Unix socket for the app's connections (config.databaseSocket, or the embedded one's). */
  databaseSocket: string | null;
  engineUrl: string;
  /** The engine's database (user-task events for the inbox read model); null when an external engine's is not configured. */
  engineDatabaseUrl: string | null;
  engineUser: string;
  enginePassword: string;
  smtpUrl: string;
  /** Local IMAP server, when we started one (demo mailbox and tests). */
  imap: { host: string; port: number } | null;
  secret: string;
  embeddedDatabase: boolean;
  /** Stops only the engine we started (idempotent). */
  stopEngine(): Promise<void>;
  stop(): Promise<void>;
}

interface Log {
  info(msg: string): void;
  warn(msg: string): void;
}

function engineJarTime(): number {
  return statSync(ENGINE_JAR, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}

function jdbcOf(url: string, database: string): { jdbcUrl: string; user: string; password: string } {
  const u = new URL(url);
  return {
    jdbcUrl: `jdbc:postgresql://${u.hostname}:${u.port || '5432'}/${database}`,
    user: decodeURIComponent(u.username || 'postgres'),
    password: decodeURIComponent(u.password),
  };
}

/**
 * Gives every service the app needs: the one configured through the environment, else a real local one
 * (embedded PostgreSQL, the engine jar on its own database, our own mail server for SMTP and IMAP). Stops what it started.
 */
export async function startInfrastructure(
  config: Config,
  log: Log,
  opts: {
    pgPort?: number;
    enginePort?: number;
    smtpPort?: number;
    imapPort?: number;
    engineDatabase?: string;
    /** Prints one line per component started (npm start); silent by default. */
    report?: StartupReport;
  } = {},
): Promise<Infrastructure> {
  const report = opts.report ?? silentReport;
  const stops: Array<() => Promise<void>> = [];
  let stopEngine: () => Promise<void> = async () => {};
  const stopAll = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    let databaseUrl = config.databaseUrl;
    let adminUrl: string;
    let databaseSocket = config.databaseSocket ?? null;
    const embeddedDatabase = !databaseUrl;
    if (!databaseUrl) {
      const port = opts.pgPort ?? 54329;
      const pg = await report.step(
        'PostgreSQL 16, embedded',
        () => startEmbeddedPostgres({ dataDir: config.dataDir, port, log }),
        () => `127.0.0.1:${port}`,
      );
      stops.push(() => pg.stop());
      databaseUrl = await pg.ensureDatabase('reclamatii');
      adminUrl = pg.adminUrl;
      databaseSocket = pg.socketPath;
    } else {
      const u = new URL(databaseUrl);
      u.pathname = '/postgres';
      adminUrl = u.toString();
    }

    const secret = config.appSecret ?? (await localSecret(config.dataDir, 'app-secret'));

    let engineUrl = config.engineUrl;
    let engineDatabaseUrl = config.engineDatabaseUrl ?? null;
    let engineUser = config.engineUser;
    let enginePassword = config.enginePassword;
    if (!engineUrl) {
      const engineDb = opts.engineDatabase ?? 'engine';
      await ensureDatabase(adminUrl, engineDb);
      enginePassword = await localSecret(config.dataDir, 'engine-password');
      engineUser = 'reclamatii';
      await report.step(
        'engine build',
        async () => {
          const before = engineJarTime();
          await ensureEngineJar({ log });
          return engineJarTime() !== before;
        },
        (built) => (built ? 'built' : 'up to date'),
      );
      const jdbc = jdbcOf(databaseUrl, engineDb);
      const engineDbUrl = new URL(databaseUrl);
      engineDbUrl.pathname = `/${engineDb}`;
      engineDatabaseUrl = engineDbUrl.toString();
      const enginePort = opts.enginePort ?? 18080;
      const engine = await report.step(
        'process engine, Operaton 1.0',
        () =>
          startEngine({
            jdbcUrl: jdbc.jdbcUrl,
            dbUser: jdbc.user,
            dbPassword: jdbc.password,
            port: enginePort,
            restUser: engineUser,
            restPassword: enginePassword,
            log,
            logFile: path.join(config.dataDir, 'logs', `engine-${opts.enginePort ?? 18080}.log`),
          }),
        () => `127.0.0.1:${enginePort}`,
      );
      stopEngine = once(() => engine.stop());
      stops.push(stopEngine);
      engineUrl = engine.url;
    }

    let smtpUrl = config.smtpUrl;
    let imap: Infrastructure['imap'] = config.localImap;
    if (!smtpUrl) {
      await ensureMailServer({ log });
      const smtpPort = opts.smtpPort ?? 2525;
      const imapPort = opts.imapPort ?? 1143;
      const mail = await report.step(
        'mail server',
        () =>
          startMailServer({
            smtpPort,
            imapPort,
            mailDir: path.join(config.dataDir, 'mail'),
            log,
            logFile: path.join(config.dataDir, 'logs', `mail-${smtpPort}.log`),
          }),
        () => `SMTP 127.0.0.1:${smtpPort}, IMAP 127.0.0.1:${imapPort}`,
      );
      stops.push(() => mail.stop());
      smtpUrl = mail.smtpUrl;
      imap = { host: mail.imapHost, port: mail.imapPort };
    }

    return {
      databaseUrl,
      databaseSocket,
      engineUrl,
      engineDatabaseUrl,
      engineUser,
      enginePassword,
      smtpUrl,
      imap,
      secret,
      embeddedDatabase,
      stopEngine: () => stopEngine(),
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
