/**
 * Anchors of the audit chain outside the database (issue 13 item 6).
 *
 * The sealer writes each tenant's chain head (sequence, hash, HMAC, time) now and then to an append-only file,
 * `<data dir>/audit-anchors/<tenant id>.jsonl`, one JSON line per head, fsync'ed before it counts. Someone who can
 * write the database (the owner, a superuser) can cut the chain's tail or rewrite it, but cannot reach this file
 * (another machine or disk in production); the verifier checks that every anchored head is still in the chain,
 * unchanged. Each replica writes the heads it sees on its own disk: a line may repeat, and that is fine.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface Anchor {
  tenantId: string;
  seq: number;
  hash: string;
  mac: string;
  /** When the head link was sealed (database time). */
  sealedAt: string;
  /** When this line was written (this machine's time). */
  anchoredAt: string;
}

export function auditAnchorDir(dataDir: string): string {
  return path.resolve(dataDir, 'audit-anchors');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function anchorFile(dir: string, tenantId: string): string {
  // The name comes from the database; a tenant id is a uuid, never a path.
  if (!UUID.test(tenantId)) throw new Error('tenant id is not a uuid');
  return path.join(dir, `${tenantId}.jsonl`);
}

/** Appends one anchor and makes it durable (file and, when new, the folder entry). */
export async function appendAnchor(dir: string, anchor: Anchor): Promise<void> {
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = anchorFile(dir, anchor.tenantId);
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.write(`${JSON.stringify(anchor)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (created !== undefined) {
    const folder = await open(dir, 'r');
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}

/** A tenant's anchors in file order; a line that is not an anchor (a torn last write) is reported, not trusted. */
export async function readAnchors(
  dir: string,
  tenantId: string,
): Promise<{ anchors: Anchor[]; unreadable: number }> {
  const anchors: Anchor[] = [];
  let unreadable = 0;
  const stream = createReadStream(anchorFile(dir, tenantId), { encoding: 'utf8' });
  try {
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      try {
        const a = JSON.parse(line) as Partial<Anchor>;
        if (
          a.tenantId === tenantId &&
          Number.isSafeInteger(a.seq) &&
          typeof a.hash === 'string' &&
          typeof a.mac === 'string'
        )
          anchors.push(a as Anchor);
        else unreadable++;
      } catch {
        unreadable++;
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  } finally {
    stream.destroy();
  }
  return { anchors, unreadable };
}
