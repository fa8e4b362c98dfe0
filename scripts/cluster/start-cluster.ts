/**
 * The whole installation as a cluster on one machine: one PostgreSQL (ours and the engine's database), the mail
 * server, K engine nodes (a homogeneous Operaton cluster on one database, each with its job executor), N API
 * processes, M worker processes and I intake processes (a lease per mailbox, so one reads each mailbox), behind
 * HAProxy. Every process is supervised: one that dies is started again. `npm run cluster` runs it; the chaos test
 * (tests/chaos/) drives it. deploy/README.md describes the same shape in production.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { localSecret } from '../../server/embedded/secrets.ts';
import { startEmbeddedPostgres, ensureDatabase } from '../../server/embedded/postgres.ts';
import { ensureEngineJar, REPO_ROOT, startEngine } from '../../server/embedded/engine-process.ts';
import { ensureMailServer, startMailServer } from '../../server/embedded/mail-process.ts';
import { haproxyConfig, requireHaproxy, startHaproxy, type BalancerPorts } from './haproxy.ts';
import { supervise, type Instance, type Supervised } from './supervisor.ts';

export interface ClusterOptions {
  engines: number;
  api: number;
  workers: number;
  intake: number;
  /** The balancer's web port; every other port is counted from it (see `portsFrom`). */
  port: number;
  dataDir: string;
  log(line: string): void;
}

export interface Cluster {
  /** The balancer's address: the web pages and the API. */
  url: string;
  /** The engine's REST API through the balancer, and its credentials (for checks behind the app's back). */
  engine: { url: string; user: string; password: string };
  /** The owner's connection to our database, and to the engine's. */
  databaseUrl: string;
  engineDatabaseUrl: string;
  smtpUrl: string;
  imap: { host: string; port: number };
  secret: string;
  /** Every supervised process (engine nodes, API, workers, intake; not the database, mail server or balancer). */
  processes: Supervised[];
  /** Restarts the API and worker processes one at a time, each drained first. */
  rollingRestart(): Promise<void>;
  stop(): Promise<void>;
}

/** Ports counted from the web port: the balancer's, then the processes'. */
export function portsFrom(port: number) {
  return {
    balancer: { web: port, engine: port + 1, stats: port + 2 } satisfies BalancerPorts,
    api: (i: number) => port + 10 + i,
    engine: (i: number) => port + 30 + i,
    pg: port + 50,
    smtp: port + 51,
    imap: port + 52,
  };
}

/** The line main.ts prints when every part it runs is up. */
const READY_LINE = 'Ctrl-C stops everything.';

/** One app process (`server/main.ts --only <part>`), ready when it printed that it runs (and, for the API, /readyz). */
function startAppProcess(opts: {
  name: string;
  part: 'api' | 'workers' | 'intake';
  env: Record<string, string>;
  args: string[];
  logFile: string;
  readyUrl?: string;
}): Promise<Instance> {
  const fd = openSync(opts.logFile, 'a');
  writeSync(fd, `\n--- ${new Date().toISOString()} start ${opts.name}\n`);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'server/main.ts', '--only', opts.part, ...opts.args],
    {
      cwd: REPO_ROOT,
      // stdin is a pipe never written to: it closes when the cluster dies, even by kill -9, and the process then
      // stops in order (EXIT_WITH_PARENT, server/main.ts) instead of running on unsupervised.
      env: { ...process.env, ...opts.env, EXIT_WITH_PARENT: '1' },
      stdio: ['pipe', 'pipe', fd],
      // Its own process group: the terminal's Ctrl-C reaches the cluster, which stops the processes in order.
      detached: true,
    },
  );
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`)),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const done = await Promise.race([
      exited.then(() => true),
      new Promise((r) => setTimeout(() => r(false), 30_000)),
    ]);
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
  };
  return new Promise<Instance>((resolve, reject) => {
    let printed = '';
    let settled = false;
    child.stdout!.on('data', (chunk: Buffer) => {
      writeSync(fd, chunk);
      if (settled) return;
      printed = (printed + chunk.toString('utf8')).slice(-4096);
      if (!printed.includes(READY_LINE)) return;
      settled = true;
      void (async () => {
        // The API is ready for the balancer once /readyz says so (its database answers).
        for (let i = 0; opts.readyUrl && i < 100; i++) {
          const ok = await fetch(opts.readyUrl, { signal: AbortSignal.timeout(1_000) })
            .then((r) => r.ok)
            .catch(() => false);
          if (ok) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        resolve({ pid: child.pid ?? -1, exited, stop });
      })();
    });
    void exited.then((exit) => {
      closeSync(fd);
      if (!settled) {
        settled = true;
        reject(new Error(`${opts.name} ended while starting (${exit}); see ${opts.logFile}`));
      }
    });
  });
}

/** Waits until HAProxy's statistics show `server` of `backend` UP (its health checks passed). */
async function balancerSeesUp(statsPort: number, backend: string, server: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const csv = await fetch(`http://127.0.0.1:${statsPort}/stats;csv`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => r.text())
      .catch(() => '');
    // Columns: pxname, svname, …, status is the 18th.
    const row = csv.split('\n').find((l) => l.startsWith(`${backend},${server},`));
    if (row?.split(',')[17] === 'UP') return;
    if (Date.now() > deadline)
      throw new Error(`HAProxy did not take ${server} back within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  requireHaproxy();
  const ports = portsFrom(opts.port);
  const dataDir = path.resolve(opts.dataDir);
  const logs = path.join(dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const launcherLog = { info: opts.log, warn: (m: string) => opts.log(`warning: ${m}`) };
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const s of stops.reverse())
      await s().catch((err: unknown) => opts.log(`stop: ${(err as Error).message}`));
  };

  try {
    const pg = await startEmbeddedPostgres({ dataDir, port: ports.pg, log: launcherLog });
    stops.push(() => pg.stop());
    const databaseUrl = await pg.ensureDatabase('reclamatii');
    await ensureDatabase(pg.adminUrl, 'engine');
    const engineDatabaseUrl = pg.urlFor('engine');
    const secret = await localSecret(dataDir, 'app-secret');
    const enginePassword = await localSecret(dataDir, 'engine-password');
    const engineUser = 'reclamatii';

    await ensureMailServer({ log: launcherLog });
    const mail = await startMailServer({
      smtpPort: ports.smtp,
      imapPort: ports.imap,
      mailDir: path.join(dataDir, 'mail'),
      log: launcherLog,
      logFile: path.join(logs, 'mail.log'),
    });
    stops.push(() => mail.stop());

    await ensureEngineJar({ log: launcherLog });
    const db = new URL(engineDatabaseUrl);
    const jdbcUrl = `jdbc:postgresql://${db.hostname}:${db.port}/engine`;
    const engine = (i: number) =>
      supervise({
        name: `engine-${i + 1}`,
        kind: 'engine',
        log: opts.log,
        start: () =>
          startEngine({
            jdbcUrl,
            dbUser: decodeURIComponent(db.username),
            dbPassword: decodeURIComponent(db.password),
            port: ports.engine(i + 1),
            restUser: engineUser,
            restPassword: enginePassword,
            log: { info: () => {}, warn: launcherLog.warn },
            logFile: path.join(logs, `engine-${i + 1}.log`),
            // Several nodes share the machine: a smaller heap each.
            jvmArgs: [
              '-Xms128m',
              '-Xmx512m',
              '-XX:+UseSerialGC',
              '-XX:TieredStopAtLevel=1',
              '-XX:+ExitOnOutOfMemoryError',
            ],
          }),
      });
    // The first node alone (it creates or updates the engine's schema), then the others together.
    const engines = [engine(0)];
    stops.push(async () => {
      await Promise.all(engines.map((e) => e.stop()));
    });
    await engines[0]!.whenReady();
    for (let i = 1; i < opts.engines; i++) engines.push(engine(i));
    await Promise.all(engines.map((e) => e.whenReady()));

    const apiPorts = Array.from({ length: opts.api }, (_, i) => ports.api(i + 1));
    const balancer = supervise({
      name: 'haproxy',
      kind: 'balancer',
      log: opts.log,
      start: () =>
        startHaproxy({
          configFile: path.join(dataDir, 'haproxy.cfg'),
          config: haproxyConfig({
            ports: ports.balancer,
            api: apiPorts,
            engines: engines.map((_, i) => ports.engine(i + 1)),
          }),
          logFile: path.join(logs, 'haproxy.log'),
          statsPort: ports.balancer.stats,
        }),
    });
    stops.push(() => balancer.stop());
    await balancer.whenReady();

    const url = `http://127.0.0.1:${ports.balancer.web}`;
    const engineUrl = `http://127.0.0.1:${ports.balancer.engine}/engine-rest`;
    const env = (name: string, port?: number): Record<string, string> => ({
      DATABASE_URL: databaseUrl,
      ...(pg.socketPath ? { DATABASE_SOCKET: pg.socketPath } : {}),
      ENGINE_URL: engineUrl,
      ENGINE_USER: engineUser,
      ENGINE_PASSWORD: enginePassword,
      ENGINE_DATABASE_URL: engineDatabaseUrl,
      SMTP_URL: mail.smtpUrl,
      LOCAL_IMAP: `${mail.imapHost}:${mail.imapPort}`,
      APP_SECRET: secret,
      // Each process keeps its own files (the audit anchors a worker writes) in a folder of its own.
      DATA_DIR: path.join(dataDir, 'processes', name),
      PUBLIC_URL: url,
      TRUST_PROXY: '127.0.0.1',
      SHUTDOWN_DRAIN_MS: '5000',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ...(port ? { PORT: String(port), HOST: '127.0.0.1' } : {}),
    });
    const app = (part: 'api' | 'workers' | 'intake', i: number) => {
      const name = `${part}-${i + 1}`;
      const port = part === 'api' ? apiPorts[i] : undefined;
      return supervise({
        name,
        kind: part,
        log: opts.log,
        start: (attempt) =>
          startAppProcess({
            name,
            part,
            env: env(name, port),
            // The demo tenants and logins, and the demo cases, are seeded by the first API and worker process once.
            args: i === 0 && attempt === 1 && part !== 'intake' ? ['--seed-demo'] : [],
            logFile: path.join(logs, `${name}.log`),
            readyUrl: port ? `http://127.0.0.1:${port}/readyz` : undefined,
          }),
      });
    };
    // The first API process alone: it migrates, creates the roles, seeds and deploys the processes.
    const api = [app('api', 0)];
    stops.push(async () => {
      await Promise.all(api.map((p) => p.stop()));
    });
    await api[0]!.whenReady();
    for (let i = 1; i < opts.api; i++) api.push(app('api', i));
    const workers = Array.from({ length: opts.workers }, (_, i) => app('workers', i));
    const intake = Array.from({ length: opts.intake }, (_, i) => app('intake', i));
    stops.push(async () => {
      await Promise.all([...workers, ...intake].map((p) => p.stop()));
    });
    const processes = [...engines, ...api, ...workers, ...intake];
    await Promise.all(processes.map((p) => p.whenReady()));

    return {
      url,
      engine: { url: engineUrl, user: engineUser, password: enginePassword },
      databaseUrl,
      engineDatabaseUrl,
      smtpUrl: mail.smtpUrl,
      imap: { host: mail.imapHost, port: mail.imapPort },
      secret,
      processes,
      async rollingRestart() {
        for (const p of api) {
          await p.restart();
          // Ready on its own is not enough: the next one stops only once the balancer sends this one requests again.
          await balancerSeesUp(ports.balancer.stats, 'api', `api${p.name.slice('api-'.length)}`);
        }
        for (const p of workers) await p.restart();
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
