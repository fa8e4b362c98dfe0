/**
 * `npm run backup` (scripts/backup.ts): the whole installation in one archive, `<out>/reclamatii-<time>.tar.gz`:
 *
 *   backup.json     what it holds and its recovery point (read first by the restore)
 *   secrets/ audit-anchors/ mail/   the data folder's state (data-files.ts)
 *   pg/             the embedded PostgreSQL cluster — our database and the engine's, at one point in time
 *                   (pg-online-copy.ts)
 *
 * Order matters: the files are copied first, the cluster after. An anchor names a chain link committed before the
 * anchor was written, so every anchor copied is in the later database copy (the other way round, an anchor written
 * during the database copy could name a link the restored database never got, and the chain would not verify). A
 * message the intake took between the two copies is back in the restored inbox and is taken again: the intake is
 * idempotent (a message is moved out only after it was stored, so a crash has the same effect).
 *
 * With the embedded PostgreSQL stopped, the backup starts it on the data folder (holding the folder as npm start
 * does, so a start meanwhile is refused) and takes the same online copy. With DATABASE_URL set the database is
 * not ours to copy: the archive holds the files only, and the operator backs the database up with its own tools.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import type { Config } from '../../config.ts';
import { claimDataDir } from '../instance-lock.ts';
import { embeddedCluster, startEmbeddedPostgres } from '../postgres.ts';
import { copyDataFiles } from './data-files.ts';
import { copyRunningCluster, type OnlineCopy } from './pg-online-copy.ts';

export const MANIFEST = 'backup.json';
export const FORMAT = 'reclamatii-backup/1';

export interface Manifest {
  format: typeof FORMAT;
  createdAt: string;
  /** embedded: pg/ holds the cluster; external: the database is backed up apart (DATABASE_URL). */
  database: 'embedded' | 'external';
  /** The major version of the cluster in pg/ (a restore needs the same). */
  postgresMajor?: string;
  /** The embedded cluster's copy: its recovery point is stopTime. */
  postgres?: OnlineCopy;
  /** The data folder's folders in the archive, and when they were copied. */
  files: { folders: string[]; copiedAt: string };
}

export interface BackupResult {
  file: string;
  bytes: number;
  seconds: number;
  manifest: Manifest;
}

/** The pid and port of the postmaster running `cluster`, when one is. */
function runningPostmaster(cluster: string): { pid: number; port: number } | null {
  const file = path.join(cluster, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return null;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return null; // a stale pid file
  }
  return { pid, port };
}

/** The embedded cluster copied online into `into`: the running one, or one started for the purpose. */
async function copyEmbeddedCluster(
  config: Config,
  into: string,
  log: { info(msg: string): void },
): Promise<{ copy: OnlineCopy; major: string }> {
  const { cluster } = embeddedCluster(config.dataDir);
  const versionFile = path.join(cluster, 'PG_VERSION');
  if (!existsSync(versionFile))
    throw new Error(
      `${path.resolve(config.dataDir)} holds no database (no ${versionFile}): start the system once, or set DATA_DIR to the installation's data folder.`,
    );
  const major = readFileSync(versionFile, 'utf8').trim();
  const label = `reclamatii ${new Date().toISOString()}`;
  // The embedded server's fixed superuser login (server/embedded/postgres.ts); it listens on 127.0.0.1 only.
  const adminUrl = (port: number) => `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const running = runningPostmaster(cluster);
  if (running) {
    log.info(`PostgreSQL is running (pid ${running.pid}, port ${running.port}): copying it online`);
    return {
      copy: await copyRunningCluster({ adminUrl: adminUrl(running.port), cluster, into, label }),
      major,
    };
  }
  const release = claimDataDir(config.dataDir);
  try {
    log.info('PostgreSQL is not running: starting it for the copy');
    const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPorts.pg, log });
    try {
      return { copy: await copyRunningCluster({ adminUrl: pg.adminUrl, cluster, into, label }), major };
    } finally {
      await pg.stop();
    }
  } finally {
    release();
  }
}

function stamp(d: Date): string {
  return d
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '');
}

/** Takes the backup into `outDir` (created); the archive appears whole or not at all. */
export async function backupInstallation(
  config: Config,
  opts: { outDir: string; log: { info(msg: string): void } },
): Promise<BackupResult> {
  const started = Date.now();
  const createdAt = new Date();
  await mkdir(opts.outDir, { recursive: true, mode: 0o700 });
  const name = `reclamatii-${stamp(createdAt)}`;
  const staging = path.join(opts.outDir, `.${name}.staging`);
  const file = path.join(opts.outDir, `${name}.tar.gz`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o700 });
  try {
    const files = await copyDataFiles(config.dataDir, staging);
    const filesCopiedAt = new Date().toISOString();
    const manifest: Manifest = {
      format: FORMAT,
      createdAt: createdAt.toISOString(),
      database: config.databaseUrl ? 'external' : 'embedded',
      files: { folders: files.folders, copiedAt: filesCopiedAt },
    };
    if (!config.databaseUrl) {
      const { copy, major } = await copyEmbeddedCluster(config, path.join(staging, 'pg'), opts.log);
      manifest.postgres = copy;
      manifest.postgresMajor = major;
    }
    await writeFile(path.join(staging, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    const entries = [MANIFEST, ...files.folders, ...(manifest.postgres ? ['pg'] : [])];
    // The manifest first, so a restore can read it before the rest. Portable: no owner ids (the restore gives the
    // cluster to the user PostgreSQL runs as on that machine). Level 1: the WAL and data pages compress well even
    // so, and the backup of a busy system should not hold a core for long.
    const partial = `${file}.partial`;
    try {
      await tar.c({ file: partial, cwd: staging, gzip: { level: 1 }, portable: true }, entries);
      await rename(partial, file);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
    return { file, bytes: (await stat(file)).size, seconds: (Date.now() - started) / 1000, manifest };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
