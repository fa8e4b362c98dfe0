/**
 * A backup of the whole installation in one archive (server/embedded/backup/backup.ts says what it holds):
 *
 *   npm run backup                    into backups/
 *   npm run backup -- --out DIR       into DIR
 *
 * DATA_DIR as for `npm start` (default .data). With the embedded PostgreSQL it copies the running cluster online
 * (or starts it for the copy); with DATABASE_URL set it keeps the files only and says how to back the database up.
 * Prints the archive, its size, the time taken and the recovery point; never a secret or a connection URL.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../server/config.ts';
import { backupInstallation, type BackupResult } from '../server/embedded/backup/backup.ts';
import { StartupError } from '../server/embedded/startup-error.ts';

const EXTERNAL_DATABASE = [
  'DATABASE_URL is set: the database is on a server of your own, so this archive holds the data folder only',
  '(secrets, audit anchors, mail). Back the database up on its server, at least as often as this, e.g.',
  '  pg_basebackup -h <host> -U <replication user> -D <folder> -Ft -z -X stream -c fast',
  "for a consistent copy of the whole server (our database and the engine's at one point in time), and for a",
  'recovery point of seconds rather than the last backup, continuous WAL archiving (archive_mode=on, archive_command',
  'or pg_receivewal) with point-in-time recovery: deploy/README.md, "Backup and restore".',
];

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function describeBackup(r: BackupResult, cwd = process.cwd()): string[] {
  const rel = path.relative(cwd, r.file);
  const lines = [
    `Backup written: ${rel.startsWith('..') ? r.file : rel} (${megabytes(r.bytes)}) in ${r.seconds.toFixed(1)} s`,
    `  holds: ${[...r.manifest.files.folders, ...(r.manifest.postgres ? ['PostgreSQL (reclamatii, engine)'] : [])].join(', ') || 'nothing'}`,
  ];
  if (r.manifest.postgres)
    lines.push(
      `  recovery point: ${r.manifest.postgres.stopTime} (WAL ${r.manifest.postgres.stopLsn}): a restore brings back every transaction committed before it`,
      `  restore: npm run restore -- ${rel.startsWith('..') ? r.file : rel} --data-dir <empty folder>`,
    );
  else lines.push(...EXTERNAL_DATABASE.map((l) => `  ${l}`));
  return lines;
}

export async function backupCli(argv: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const i = argv.indexOf('--out');
  const out = argv.find((a) => a.startsWith('--out='))?.slice(6) ?? (i >= 0 ? argv[i + 1] : undefined);
  if (i >= 0 && !out) throw new Error('--out takes a folder');
  const config = loadConfig(env);
  const r = await backupInstallation(config, {
    outDir: path.resolve(out ?? 'backups'),
    log: { info: (m) => process.stdout.write(`  · ${m}\n`) },
  });
  return describeBackup(r);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  backupCli(process.argv.slice(2), process.env).then(
    (lines) => {
      process.stdout.write(`${lines.join('\n')}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      const e = err as Error;
      console.error(e instanceof StartupError ? `${e.message} ${e.fix}` : `Backup failed: ${e.message}`);
      process.exit(1);
    },
  );
}
