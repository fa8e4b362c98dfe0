/**
 * Brings a backup of `npm run backup` back into an empty data folder (server/embedded/backup/restore.ts):
 *
 *   npm run restore -- <archive> [--data-dir DIR]     DIR default: DATA_DIR, else .data
 *
 * Then `DATA_DIR=DIR npm start` starts the installation as it was at the backup's recovery point.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../server/config.ts';
import { restoreInstallation } from '../server/embedded/backup/restore.ts';
import { StartupError } from '../server/embedded/startup-error.ts';

export async function restoreCli(argv: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const i = argv.indexOf('--data-dir');
  const dir = argv.find((a) => a.startsWith('--data-dir='))?.slice(11) ?? (i >= 0 ? argv[i + 1] : undefined);
  if (i >= 0 && !dir) throw new Error('--data-dir takes a folder');
  const archive = argv.find((a, n) => !a.startsWith('--') && (i < 0 || n !== i + 1));
  if (!archive) throw new Error('Usage: npm run restore -- <archive> [--data-dir DIR]');
  const dataDir = dir ?? loadConfig(env).dataDir;
  const r = await restoreInstallation(path.resolve(archive), dataDir);
  const shown = path.relative(process.cwd(), r.dataDir).startsWith('..')
    ? r.dataDir
    : path.relative(process.cwd(), r.dataDir) || '.';
  const lines = [`Restored into ${shown} in ${r.seconds.toFixed(1)} s (backup of ${r.manifest.createdAt})`];
  if (r.manifest.postgres)
    lines.push(
      `  recovery point: ${r.manifest.postgres.stopTime} (WAL ${r.manifest.postgres.stopLsn}); PostgreSQL replays to it at the next start`,
    );
  else
    lines.push(
      '  the archive holds the data folder only (DATABASE_URL was set): restore the database on its server from its own backup',
    );
  lines.push(`  start it: DATA_DIR=${shown} npm start`);
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  restoreCli(process.argv.slice(2), process.env).then(
    (lines) => {
      process.stdout.write(`${lines.join('\n')}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      const e = err as Error;
      console.error(e instanceof StartupError ? `${e.message} ${e.fix}` : `Restore failed: ${e.message}`);
      process.exit(1);
    },
  );
}
