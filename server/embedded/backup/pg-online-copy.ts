/**
 * One consistent physical copy of a running PostgreSQL cluster (all its databases at one point in time), through
 * PostgreSQL's low-level non-exclusive backup API over SQL: the embedded binaries have no pg_basebackup, and this is
 * what pg_basebackup itself does.
 *
 *   1. a temporary physical replication slot, reserving WAL now: a checkpoint during the copy may otherwise remove
 *      (recycle) the segments the copy needs before we read them, and there is no other hold on WAL for a
 *      non-exclusive backup (wal_keep_size would be a guess at how much WAL the copy lasts);
 *   2. pg_backup_start(label, fast => true): an immediate checkpoint; full-page writes are forced from here on, so a
 *      page torn by our copy (read while PostgreSQL wrote it) is restored whole from the WAL;
 *   3. the data directory copied file by file, as it changes: files that vanish meanwhile (a dropped table) are
 *      skipped and files that grow or shrink are copied as found — replaying the WAL puts them right;
 *   4. pg_backup_stop(): returns the backup_label (where replay starts) and tablespace_map, written into the copy;
 *      it also writes the backup-end record and switches to a new WAL segment, so every segment from the start's
 *      to the stop's is complete on disk;
 *   5. those WAL segments copied into the copy's pg_wal, now that they are complete.
 *
 * The copy then starts like a crashed server (no recovery.signal: the WAL it needs is in its own pg_wal): it reads
 * backup_label, replays from the start checkpoint to the backup end and opens, at the moment of pg_backup_stop.
 * The session that started the backup must stay open until it stops: one reserved connection does both.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import postgres from 'postgres';

export interface OnlineCopy {
  /** Where replay starts (the start checkpoint's redo location). */
  startLsn: string;
  /** The backup's end: the restored cluster holds every transaction committed before it. */
  stopLsn: string;
  /** The server's clock at the backup's end (ISO 8601): the recovery point. */
  stopTime: string;
  /** Bytes of data files and WAL copied. */
  bytes: number;
}

/**
 * What pg_basebackup leaves out (src/backend/backup/basebackup.c): folders kept empty, because their contents are
 * rebuilt at start (or are WAL, copied after the stop), and files that describe the running server, not the data.
 */
const EMPTY_DIRS = new Set([
  'pg_wal',
  'pg_dynshmem',
  'pg_notify',
  'pg_replslot',
  'pg_serial',
  'pg_snapshots',
  'pg_stat_tmp',
  'pg_subtrans',
]);
const SKIP_FILES = new Set([
  'postmaster.pid',
  'postmaster.opts',
  'backup_label',
  'tablespace_map',
  'postgresql.auto.conf.tmp',
  'current_logfiles.tmp',
  'pg_internal.init',
]);

const gone = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** Copies `from` into `to` (created), leaving out what a base backup leaves out; returns the bytes copied. */
async function copyCluster(from: string, to: string, top = true): Promise<number> {
  await mkdir(to, { recursive: true, mode: 0o700 });
  let entries;
  try {
    entries = await readdir(from, { withFileTypes: true });
  } catch (err) {
    if (gone(err)) return 0; // a database dropped during the copy
    throw err;
  }
  let bytes = 0;
  for (const e of entries) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) {
      if (top && EMPTY_DIRS.has(e.name)) await mkdir(dst, { mode: 0o700 });
      else if (!e.name.startsWith('pgsql_tmp')) bytes += await copyCluster(src, dst, false);
    } else if (e.isFile() && !SKIP_FILES.has(e.name) && !e.name.startsWith('pgsql_tmp')) {
      try {
        await copyFile(src, dst);
        bytes += (await stat(dst)).size;
      } catch (err) {
        if (!gone(err)) throw err;
      }
    }
    // Symbolic links would be tablespaces (pg_tblspc); the embedded cluster has none, and refuses below if it had.
  }
  return bytes;
}

const SEGMENT = /^[0-9A-F]{24}$/;

/**
 * Copies the cluster the server at `adminUrl` runs (a superuser's connection) into `into`, which must not exist
 * yet. `cluster` is its data directory as this process sees it; the server is asked for its own to be sure they
 * are the same.
 */
export async function copyRunningCluster(opts: {
  adminUrl: string;
  cluster: string;
  into: string;
  label: string;
}): Promise<OnlineCopy> {
  const sql = postgres(opts.adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  const session = await sql.reserve();
  try {
    const [server] = await session<[{ dataDirectory: string; tablespaces: number }]>`
      select current_setting('data_directory') as "dataDirectory",
             (select count(*)::int from pg_tablespace where spcname not in ('pg_default', 'pg_global')) as tablespaces`;
    const same = (await realpath(server!.dataDirectory).catch(() => '')) === (await realpath(opts.cluster));
    if (!same)
      throw new Error(
        `The PostgreSQL at that port runs ${server!.dataDirectory}, not ${opts.cluster}: is another server on the port?`,
      );
    if (server!.tablespaces > 0)
      throw new Error('The cluster has tablespaces of its own; this backup copies only the data directory.');
    const slot = `reclamatii_backup_${randomBytes(4).toString('hex')}`;
    await session`select pg_create_physical_replication_slot(${slot}, true, true)`;
    const [start] = await session<[{ lsn: string; segment: string }]>`
      select lsn::text, pg_walfile_name(lsn) as segment from pg_backup_start(${opts.label}, true) as lsn`;
    let bytes: number;
    try {
      bytes = await copyCluster(opts.cluster, opts.into);
    } catch (err) {
      // Ends the backup mode (the session's end would too); the copy is abandoned.
      await session`select pg_backup_stop(false)`.catch(() => undefined);
      throw err;
    }
    const [stop] = await session<
      [{ lsn: string; segment: string; labelfile: string; spcmapfile: string; at: Date }]
    >`
      select s.lsn::text, pg_walfile_name(s.lsn) as segment, s.labelfile, s.spcmapfile, clock_timestamp() as at
        from pg_backup_stop(true) s`;
    await writeFile(path.join(opts.into, 'backup_label'), stop!.labelfile, { mode: 0o600 });
    if (stop!.spcmapfile) await writeFile(path.join(opts.into, 'tablespace_map'), stop!.spcmapfile);
    const wal = path.join(opts.into, 'pg_wal');
    await mkdir(path.join(wal, 'archive_status'), { recursive: true, mode: 0o700 });
    for (const name of (await readdir(path.join(opts.cluster, 'pg_wal'))).sort()) {
      const needed =
        (SEGMENT.test(name) && name >= start!.segment && name <= stop!.segment) || name.endsWith('.history');
      if (!needed) continue;
      await copyFile(path.join(opts.cluster, 'pg_wal', name), path.join(wal, name));
      bytes += (await stat(path.join(wal, name))).size;
    }
    for (const seg of [start!.segment, stop!.segment])
      if (!(await readdir(wal)).includes(seg))
        throw new Error(`WAL segment ${seg} was not in pg_wal: the copy cannot be restored.`);
    await session`select pg_drop_replication_slot(${slot})`;
    return { startLsn: start!.lsn, stopLsn: stop!.lsn, stopTime: stop!.at.toISOString(), bytes };
  } finally {
    session.release();
    await sql.end({ timeout: 5 });
  }
}
