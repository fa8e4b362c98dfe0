/**
 * One `npm start` per data folder. The embedded PostgreSQL, engine and mail server of a run live in `.data/`; a
 * second start on the same folder would find the first one's PostgreSQL and take it for a leftover of a killed run
 * (server/embedded/postgres.ts stops those), pulling the database from under a system that is still working. So
 * the run that starts the embedded services writes its pid to `.data/npm-start.pid`, a later run refuses while
 * that process lives, and a pid file whose process has died (a kill -9, a power cut) is simply taken over.
 */
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { StartupError } from './startup-error.ts';

const FILE = 'npm-start.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user, so it is alive.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `pid` is a Node process (a recycled pid now used by something else does not hold the folder). */
function isNode(pid: number): boolean {
  try {
    return /node|tsx/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
}

/**
 * Claims `dataDir` for this process, or throws a StartupError naming the run that holds it. Returns the release,
 * which removes the pid file only while it is still ours; it also runs when this process exits.
 */
export function claimDataDir(dataDir: string): () => void {
  const file = path.join(dataDir, FILE);
  let holder: number | null = null;
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid) && isNode(pid)) holder = pid;
  } catch {
    // no pid file: nobody holds the folder
  }
  const held = (pid: number | string) =>
    new StartupError(
      `The system is already running from ${path.resolve(dataDir)} (npm start, pid ${pid}).`,
      `Use that one (its address is in its first lines), or stop it with Ctrl-C in its terminal or kill ${pid}, then start again. To run a second copy, give it a folder and ports of its own (DATA_DIR, PORT and the EMBEDDED_*_PORT variables).`,
    );
  if (holder !== null) throw held(holder);
  mkdirSync(dataDir, { recursive: true });
  rmSync(file, { force: true }); // a dead run's file
  try {
    // Exclusive: of two starts in the same instant, one gets the folder and the other is told so.
    writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    throw held(readFileSync(file, 'utf8').trim() || '?');
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (Number(readFileSync(file, 'utf8').trim()) === process.pid) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return release;
}
