/**
 * The data folder's state besides the database: what a restore needs to come up as the installation it was.
 *
 *   secrets/        the app secret and the engine's password (embedded default): without the app secret the audit
 *                   chain's MACs, the access codes and the app roles' passwords no longer match
 *   audit-anchors/  the chain heads written outside the database (server/audit/audit-anchors.ts)
 *   mail/           the embedded mail server's mailboxes (the intake's inbox, the demo consumers' mail)
 *
 * Not logs/ (not state), not npm-start.pid (the running process's), not pg/ (copied by pg-online-copy.ts).
 *
 * Copied while the system runs, so each is copied the way its writer makes it safe to read:
 * - a mailbox's journal.log is the commit point of its messages (server/embedded/mail-server/mail-store.ts): the
 *   journal is read before the msg/ folder, so every message it names already has its file; a message that arrives
 *   after the journal was read leaves a file the journal does not name, which the mail server removes on load;
 *   tmp files of an atomic rewrite are left out;
 * - an anchor file is appended one fsync'ed line at a time: a last line without its newline is a write in progress
 *   and is left out (the verifier would report it unreadable).
 */
import { copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const DATA_FOLDERS = ['secrets', 'audit-anchors', 'mail'] as const;

const gone = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

/** A folder's files first (a mailbox's journal before its msg/), then its subfolders; the bytes copied. */
async function copyTree(from: string, to: string, opts: { anchors: boolean }): Promise<number> {
  let entries;
  try {
    entries = await readdir(from, { withFileTypes: true });
  } catch (err) {
    if (gone(err)) return 0; // a mailbox deleted meanwhile
    throw err;
  }
  await mkdir(to, { recursive: true, mode: (await stat(from)).mode & 0o777 });
  let bytes = 0;
  const files = entries.filter((e) => e.isFile() && !/\.tmp-[0-9a-f]+$/.test(e.name));
  for (const e of files) {
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    try {
      if (opts.anchors && e.name.endsWith('.jsonl')) {
        const text = await readFile(src, 'utf8');
        const whole = text.slice(0, text.lastIndexOf('\n') + 1);
        await writeFile(dst, whole, { mode: 0o600 });
        bytes += Buffer.byteLength(whole);
      } else {
        await copyFile(src, dst);
        bytes += (await stat(dst)).size;
      }
    } catch (err) {
      if (!gone(err)) throw err; // a message expunged meanwhile
    }
  }
  for (const e of entries.filter((d) => d.isDirectory()))
    bytes += await copyTree(path.join(from, e.name), path.join(to, e.name), opts);
  return bytes;
}

/** Copies the data folder's state (DATA_FOLDERS that exist) into `into`; returns the folders copied and their bytes. */
export async function copyDataFiles(
  dataDir: string,
  into: string,
): Promise<{ folders: string[]; bytes: number }> {
  const folders: string[] = [];
  let bytes = 0;
  for (const name of DATA_FOLDERS) {
    const from = path.join(dataDir, name);
    if (!(await stat(from).catch(() => null))?.isDirectory()) continue;
    bytes += await copyTree(from, path.join(into, name), { anchors: name === 'audit-anchors' });
    folders.push(name);
  }
  return { folders, bytes };
}
