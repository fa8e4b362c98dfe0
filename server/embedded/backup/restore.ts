/**
 * `npm run restore -- <archive> [--data-dir DIR]` (scripts/restore.ts): an archive of backup.ts unpacked into an
 * empty data folder, so that `DATA_DIR=<folder> npm start` comes up as the installation was at the backup's recovery
 * point. Nothing is started here: PostgreSQL finds backup_label in its cluster at that start and replays the WAL
 * the archive holds (crash recovery to the backup's end), then the engine, the mail server and the app start on
 * what they left.
 *
 * It never writes over anything: the target folder (and, when PostgreSQL keeps its cluster outside it, see
 * embeddedCluster, that folder too) must be missing or empty.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, createReadStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { embeddedCluster } from '../postgres.ts';
import { FORMAT, MANIFEST, type Manifest } from './backup.ts';

export interface RestoreResult {
  dataDir: string;
  manifest: Manifest;
  seconds: number;
}

function emptyOrMissing(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (!statSync(dir).isDirectory()) return false;
  return readdirSync(dir).length === 0;
}

/**
 * The archive's backup.json, which it holds first: read from the start of the archive only (a full pass over an
 * archive of a few GB would take as long again as the extraction).
 */
function readManifest(archive: string): Promise<Manifest> {
  return new Promise((resolve, reject) => {
    const input = createReadStream(archive);
    const parser = new tar.Parser();
    let settled = false;
    const settle = (text: string | undefined) => {
      if (settled) return;
      settled = true;
      input.destroy();
      let manifest: Manifest | undefined;
      try {
        manifest = text === undefined ? undefined : (JSON.parse(text) as Manifest);
      } catch {
        manifest = undefined;
      }
      if (manifest?.format === FORMAT) resolve(manifest);
      else
        reject(
          new Error(`${archive} is not a backup of npm run backup (no ${MANIFEST} of format ${FORMAT}).`),
        );
    };
    parser.on('entry', (entry: tar.ReadEntry) => {
      if (settled || entry.path !== MANIFEST) {
        entry.resume();
        return settle(undefined);
      }
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => settle(Buffer.concat(chunks).toString('utf8')));
    });
    // Not a tar (or gzip) file at all, or one that ends before its first entry.
    parser.on('error', () => settle(undefined));
    parser.on('end', () => settle(undefined));
    input.on('error', (err) => (settled ? undefined : ((settled = true), reject(err))));
    input.pipe(parser);
  });
}

export async function restoreInstallation(archive: string, dataDir: string): Promise<RestoreResult> {
  const started = Date.now();
  if (!existsSync(archive) || !statSync(archive).isFile()) throw new Error(`There is no archive ${archive}.`);
  const target = path.resolve(dataDir);
  if (!emptyOrMissing(target))
    throw new Error(
      `${target} is not empty: a restore never writes over an installation. Restore into a new folder (--data-dir), or move this one away first.`,
    );
  const manifest = await readManifest(archive);
  mkdirSync(target, { recursive: true, mode: 0o755 });
  const strict = { strict: true, file: archive } as const;
  const isCluster = (p: string) => p === 'pg' || p.startsWith('pg/');
  if (manifest.database === 'embedded') {
    // Where the next npm start will look for the cluster (inside the folder, or elsewhere when PostgreSQL, run as
    // the postgres user, cannot reach it); the archive's pg/ goes there, owned by that user.
    const { cluster, owner } = embeddedCluster(target);
    if (!emptyOrMissing(cluster))
      throw new Error(
        `${cluster}, where PostgreSQL would keep this folder's cluster, is not empty: remove it (it belongs to an earlier installation in ${target}) and restore again.`,
      );
    const clusterParent = path.dirname(cluster);
    if (clusterParent === target) await tar.x({ ...strict, cwd: target, filter: (p) => p !== MANIFEST });
    else {
      await tar.x({ ...strict, cwd: target, filter: (p) => p !== MANIFEST && !isCluster(p) });
      await tar.x({ ...strict, cwd: clusterParent, filter: isCluster });
    }
    if (!existsSync(path.join(cluster, 'backup_label')))
      throw new Error(`The archive's cluster has no backup_label: ${archive} is incomplete.`);
    // PostgreSQL refuses a data directory others may read.
    chmodSync(cluster, 0o700);
    if (owner) {
      const r = spawnSync('chown', ['-R', `${owner.uid}:${owner.gid}`, cluster], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`Giving ${cluster} to the postgres user failed: ${r.stderr}`);
    }
  } else await tar.x({ ...strict, cwd: target, filter: (p) => p !== MANIFEST && !isCluster(p) });
  return { dataDir: target, manifest, seconds: (Date.now() - started) / 1000 };
}
