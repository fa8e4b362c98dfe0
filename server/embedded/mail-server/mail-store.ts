import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

/**
 * The mail server's storage: plain files under one root, kept across restarts.
 *
 *   <root>/<user>/<mailbox id>/meta.json     name and UIDVALIDITY (rewritten atomically: tmp + fsync + rename)
 *   <root>/<user>/<mailbox id>/journal.log   one JSON record per line: added, flags, expunged (append-only)
 *   <root>/<user>/<mailbox id>/msg/<uid>.eml  the message, bytes exactly as received, never rewritten
 *   <root>/<user>/subscriptions.json
 *
 * The journal is the commit point: a message counts once its "added" record is on disk (fsync of the file, its
 * directory and the journal) and only then is it acknowledged (SMTP 250, APPEND OK) and shown to IMAP sessions.
 * Records of concurrent writers share one fsync (group commit), so no message ever rewrites a state file whose
 * size grows with the mailbox; the journal is compacted (tmp + rename) when mostly dead records. On load, message
 * files the journal does not know (a crash before the commit) are removed, as are those of expunged messages.
 *
 * One file although past 600 lines: the journal, the mailbox that replays and appends to it, and the user and
 * store that own the mailboxes hold one crash-safety argument together (what is on disk, in which order, before
 * an acknowledgement); reading it in one place is how that argument is checked.
 */

export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];
const SYSTEM_BY_LOWER = new Map(SYSTEM_FLAGS.map((f) => [f.toLowerCase(), f]));

/** System flags in their canonical spelling; keywords as given. Null for \Recent or an unknown system flag. */
export function normalizeFlag(flag: string): string | null {
  if (!flag.startsWith('\\')) return flag;
  return SYSTEM_BY_LOWER.get(flag.toLowerCase()) ?? null;
}

export interface MessageMeta {
  uid: number;
  flags: Set<string>;
  /** ms since the epoch */
  internalDate: number;
  size: number;
}

export type MailboxEvent =
  | { kind: 'exists'; uid: number }
  | { kind: 'expunge'; uid: number }
  | { kind: 'flags'; uid: number; origin: unknown }
  | { kind: 'deleted' };

type Rec =
  | { t: 'A'; u: number; d: number; z: number; f: string[] }
  | { t: 'F'; u: number; f: string[] }
  | { t: 'X'; u: number[] }
  | { t: 'N'; n: number };

export interface StoreLog {
  info(msg: string): void;
  warn(msg: string): void;
}

export class MailboxExistsError extends Error {}

async function syncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes a file so that it is either wholly there or not at all, and survives a crash once this resolves. */
export async function writeAtomic(file: string, data: string | Buffer): Promise<void> {
  const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`;
  const fh = await fsp.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, file);
  await syncDir(path.dirname(file));
}

/** A hard link to a message file of `src` (a copy where links are impossible). */
async function linkOrCopy(src: Mailbox, uid: number, file: string): Promise<void> {
  for (const from of [src.readPath(uid), src.file(uid)]) {
    try {
      await fsp.link(from, file);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      await fsp.copyFile(from, file);
      return;
    }
  }
  throw new Error(`message file of UID ${uid} in ${src.dir} is gone`);
}

async function writeDurable(file: string, data: Buffer): Promise<void> {
  const fh = await fsp.open(file, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/** A file name for a user or other free text: lower-case letters, digits and a few signs kept, the rest %XX. */
export function safeName(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    const keep =
      (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || '@+-_'.includes(c) || (c === '.' && out);
    out += keep ? c : `%${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/**
 * Group commit of journal records: one write and one fsync (plus one of the message folder) per batch. The
 * journal and folder handles stay open while the mailbox is busy and are closed after a few idle seconds.
 */
class Journal {
  private queue: Array<{
    recs: Rec[];
    apply: () => void;
    durable: boolean;
    resolve: () => void;
    reject: (e: Error) => void;
  }> = [];
  private running: Promise<void> | null = null;
  private fh: FileHandle | null = null;
  private dirFh: FileHandle | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  lines = 0;

  constructor(
    private readonly file: string,
    private readonly msgDir: string,
    private readonly snapshot: () => Rec[],
    private readonly live: () => number,
    private readonly log: StoreLog,
  ) {}

  /**
   * Resolves once `recs` are written (and fsynced when `durable`); `apply` runs right after, in the order records
   * were queued. Only new messages need the fsync: a flag change or expunge lost in an OS crash loses no mail
   * (an expunge that ends a move is queued only after the copy is durable).
   */
  write(recs: Rec[], apply: () => void = () => {}, durable = true): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ recs, apply, durable, resolve, reject });
      this.running ??= this.run().finally(() => {
        this.running = null;
        this.scheduleClose();
      });
    });
  }

  private async run() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    while (this.queue.length) {
      const batch = this.queue.splice(0);
      const text = batch.flatMap((b) => b.recs.map((r) => `${JSON.stringify(r)}\n`)).join('');
      try {
        // New message files (and hard links) become durable with their directory entry.
        if (batch.some((b) => b.recs.some((r) => r.t === 'A'))) {
          this.dirFh ??= await fsp.open(this.msgDir, 'r');
          await this.dirFh.sync();
        }
        this.fh ??= await fsp.open(this.file, 'a', 0o600);
        await this.fh.write(text);
        if (batch.some((b) => b.durable)) await this.fh.datasync();
      } catch (err) {
        await this.closeHandles();
        for (const b of batch) b.reject(err as Error);
        continue;
      }
      this.lines += batch.reduce((n, b) => n + b.recs.length, 0);
      for (const b of batch) {
        try {
          b.apply();
        } catch (err) {
          this.log.warn(`mail store: applying a journal record failed: ${(err as Error).message}`);
        }
        b.resolve();
      }
      if (!this.queue.length && this.lines > 2000 && this.lines > 3 * this.live())
        await this.compact().catch((err: Error) =>
          this.log.warn(`mail store: compaction failed: ${err.message}`),
        );
    }
  }

  private scheduleClose() {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (!this.running) void this.closeHandles();
    }, 5000);
    this.idleTimer.unref();
  }

  private async closeHandles() {
    const [fh, dirFh] = [this.fh, this.dirFh];
    this.fh = null;
    this.dirFh = null;
    await Promise.all([fh?.close().catch(() => undefined), dirFh?.close().catch(() => undefined)]);
  }

  /** Rewrites the journal as one record per live message (tmp + rename), when it is mostly history. */
  private async compact() {
    const recs = this.snapshot();
    await this.closeHandles(); // the handle would keep writing to the replaced file
    await writeAtomic(this.file, recs.map((r) => `${JSON.stringify(r)}\n`).join(''));
    this.lines = recs.length;
  }

  /** Waits for the records in flight and lets the handles go. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.closeHandles();
  }
}

export class Mailbox {
  messages: MessageMeta[] = [];
  byUid = new Map<number, MessageMeta>();
  readonly listeners = new Set<(e: MailboxEvent) => void>();
  /** Next UID to hand out (the UIDNEXT clients see). */
  uidNext = 1;
  /**
   * New messages are shown strictly in UID order (IMAP clients rely on UIDs ascending with sequence numbers):
   * a UID that is ready waits here for every lower one to be ready or given up (null).
   */
  private ready = new Map<number, MessageMeta | null>();
  private nextShown = 1;
  /** Moved messages whose own hard link is not made yet: read from the source file meanwhile. */
  private pendingFiles = new Map<number, string>();
  readonly journal: Journal;

  constructor(
    public name: string,
    readonly dir: string,
    readonly uidValidity: number,
    private readonly log: StoreLog,
  ) {
    this.journal = new Journal(
      path.join(dir, 'journal.log'),
      path.join(dir, 'msg'),
      () => [
        { t: 'N', n: this.uidNext },
        ...this.messages.map((m): Rec => ({
          t: 'A',
          u: m.uid,
          d: m.internalDate,
          z: m.size,
          f: [...m.flags],
        })),
      ],
      () => this.messages.length,
      log,
    );
  }

  file(uid: number): string {
    return path.join(this.dir, 'msg', `${uid}.eml`);
  }

  private emit(e: MailboxEvent) {
    for (const l of this.listeners) l(e);
  }

  /** Where a message's bytes can be read now. */
  readPath(uid: number): string {
    return this.pendingFiles.get(uid) ?? this.file(uid);
  }

  private settle(uid: number, meta: MessageMeta | null) {
    this.ready.set(uid, meta);
    while (this.ready.has(this.nextShown)) {
      const m = this.ready.get(this.nextShown);
      this.ready.delete(this.nextShown);
      if (m) {
        this.insert(m);
        this.emit({ kind: 'exists', uid: m.uid });
      }
      this.nextShown++;
    }
  }

  private allocate(m: Omit<MessageMeta, 'uid'>): MessageMeta {
    return { uid: this.uidNext++, flags: new Set(m.flags), internalDate: m.internalDate, size: m.size };
  }

  /** Writes the files, commits them (fsync) and only then shows them. */
  private async addMessages(
    entries: Array<{
      flags: Iterable<string>;
      internalDate: number;
      size: number;
      write: (file: string) => Promise<void>;
    }>,
  ): Promise<number[]> {
    const metas = entries.map((e) => this.allocate({ ...e, flags: new Set(e.flags) }));
    const giveUp = async (err: unknown) => {
      for (const m of metas) this.settle(m.uid, null);
      await Promise.all(metas.map((m) => fsp.rm(this.file(m.uid), { force: true })));
      throw err;
    };
    await Promise.all(entries.map((e, i) => e.write(this.file(metas[i]!.uid)))).catch(giveUp);
    await this.journal
      .write(
        metas.map((m) => ({ t: 'A', u: m.uid, d: m.internalDate, z: m.size, f: [...m.flags] })),
        () => {
          for (const m of metas) this.settle(m.uid, m);
        },
      )
      .catch(giveUp);
    return metas.map((m) => m.uid);
  }

  private insert(m: MessageMeta) {
    const last = this.messages[this.messages.length - 1];
    if (!last || last.uid < m.uid) this.messages.push(m);
    else {
      let i = this.messages.length;
      while (i > 0 && this.messages[i - 1]!.uid > m.uid) i--;
      this.messages.splice(i, 0, m);
    }
    this.byUid.set(m.uid, m);
  }

  /** Stores a new message; resolves with its UID once it is durable. */
  async append(data: Buffer, flags: string[], internalDate: number): Promise<number> {
    const [uid] = await this.addMessages([
      { flags, internalDate, size: data.length, write: (file) => writeDurable(file, data) },
    ]);
    return uid!;
  }

  /** Copies messages of `src` (hard links: message files never change), durable when it resolves. */
  async copyFrom(src: Mailbox, uids: number[]): Promise<{ from: number[]; to: number[] }> {
    const metas = uids.map((u) => src.byUid.get(u)).filter((m): m is MessageMeta => !!m);
    if (!metas.length) return { from: [], to: [] };
    const to = await this.addMessages(
      metas.map((m) => ({ ...m, write: (file: string) => linkOrCopy(src, m.uid, file) })),
    );
    return { from: metas.map((m) => m.uid), to };
  }

  /**
   * MOVE: every session sees the messages leave `src` and arrive here at once; on disk the copy is made durable
   * first and only then is the source's removal recorded, so a crash in between leaves the message where it was
   * (moved again later), never nowhere. Resolves when both are written.
   */
  async moveFrom(src: Mailbox, uids: number[]): Promise<{ from: number[]; to: number[] }> {
    const from = uids.map((u) => src.byUid.get(u)).filter((m): m is MessageMeta => !!m);
    if (!from.length) return { from: [], to: [] };
    const to = from.map((m) => this.allocate(m));
    to.forEach((m, i) => this.pendingFiles.set(m.uid, src.readPath(from[i]!.uid)));
    const gone = src.forget(from.map((m) => m.uid));
    for (const m of to) this.settle(m.uid, m);
    try {
      await Promise.all(to.map((m, i) => linkOrCopy(src, from[i]!.uid, this.file(m.uid))));
      await this.journal.write(
        to.map((m) => ({ t: 'A', u: m.uid, d: m.internalDate, z: m.size, f: [...m.flags] })),
      );
    } catch (err) {
      this.log.warn(
        `mail store: a move into ${this.dir} was not recorded (${(err as Error).message}); after a restart the messages are back in ${src.dir}`,
      );
      throw err;
    } finally {
      for (const m of to) this.pendingFiles.delete(m.uid);
    }
    await src.recordExpunge(gone);
    return { from: from.map((m) => m.uid), to: to.map((m) => m.uid) };
  }

  /**
   * Changes flags at once (in memory, sessions told) and resolves when the change is on disk. Returns the
   * messages whose flags changed.
   */
  async setFlags(
    uids: number[],
    mode: 'add' | 'remove' | 'set',
    flags: string[],
    origin: unknown,
  ): Promise<MessageMeta[]> {
    const changed: MessageMeta[] = [];
    for (const uid of uids) {
      const m = this.byUid.get(uid);
      if (!m) continue;
      const next = mode === 'set' ? new Set(flags) : new Set(m.flags);
      if (mode === 'add') for (const f of flags) next.add(f);
      if (mode === 'remove') for (const f of flags) next.delete(f);
      if (next.size === m.flags.size && [...next].every((f) => m.flags.has(f))) continue;
      m.flags = next;
      changed.push(m);
    }
    if (!changed.length) return changed;
    for (const m of changed) this.emit({ kind: 'flags', uid: m.uid, origin });
    await this.journal.write(
      changed.map((m) => ({ t: 'F', u: m.uid, f: [...m.flags] })),
      undefined,
      false,
    );
    return changed;
  }

  /** Removes messages (sessions told at once); their files go once the removal is written. */
  async expunge(uids: number[]): Promise<number[]> {
    const gone = this.forget(uids);
    await this.recordExpunge(gone);
    return gone;
  }

  /** Drops messages from memory and tells the sessions; returns the UIDs that were there. */
  private forget(uids: number[]): number[] {
    const gone: number[] = [];
    for (const uid of uids) {
      if (!this.byUid.has(uid)) continue;
      this.byUid.delete(uid);
      gone.push(uid);
    }
    if (!gone.length) return gone;
    const set = new Set(gone);
    this.messages = this.messages.filter((m) => !set.has(m.uid));
    for (const uid of gone) this.emit({ kind: 'expunge', uid });
    return gone;
  }

  private async recordExpunge(gone: number[]) {
    if (!gone.length) return;
    await this.journal.write([{ t: 'X', u: gone }], undefined, false);
    await Promise.all(gone.map((uid) => fsp.rm(this.file(uid), { force: true })));
  }

  static async create(dir: string, name: string, uidValidity: number, log: StoreLog): Promise<Mailbox> {
    await fsp.mkdir(path.join(dir, 'msg'), { recursive: true, mode: 0o700 });
    const mb = new Mailbox(name, dir, uidValidity, log);
    await mb.saveMeta();
    await syncDir(path.dirname(dir));
    return mb;
  }

  async saveMeta(): Promise<void> {
    await writeAtomic(
      path.join(this.dir, 'meta.json'),
      JSON.stringify({ name: this.name, uidValidity: this.uidValidity }),
    );
  }

  /** Reads a mailbox back: meta, journal replay, then files the journal does not vouch for are removed. */
  static async load(dir: string, log: StoreLog): Promise<Mailbox | null> {
    let meta: { name: string; uidValidity: number };
    try {
      meta = JSON.parse(await fsp.readFile(path.join(dir, 'meta.json'), 'utf8')) as typeof meta;
    } catch {
      return null;
    }
    const mb = new Mailbox(meta.name, dir, meta.uidValidity, log);
    const journalFile = path.join(dir, 'journal.log');
    const raw = await fsp.readFile(journalFile).catch(() => Buffer.alloc(0));
    // A crash mid-write leaves a torn last line: cut it off so the next record starts on a line of its own.
    const lastLf = raw.lastIndexOf(10);
    if (lastLf !== raw.length - 1) await fsp.truncate(journalFile, lastLf + 1);
    let lines = 0;
    let maxUid = 0;
    for (const line of raw
      .subarray(0, lastLf + 1)
      .toString('utf8')
      .split('\n')) {
      if (!line) continue;
      lines++;
      let r: Rec;
      try {
        r = JSON.parse(line) as Rec;
      } catch {
        log.warn(`mail store: skipping a damaged journal line in ${journalFile}`);
        continue;
      }
      if (r.t === 'A') {
        maxUid = Math.max(maxUid, r.u);
        if (!mb.byUid.has(r.u))
          mb.byUid.set(r.u, { uid: r.u, flags: new Set(r.f), internalDate: r.d, size: r.z });
      } else if (r.t === 'F') {
        const m = mb.byUid.get(r.u);
        if (m) m.flags = new Set(r.f);
      } else if (r.t === 'X') for (const u of r.u) mb.byUid.delete(u);
      else if (r.t === 'N') mb.uidNext = Math.max(mb.uidNext, r.n);
    }
    mb.uidNext = Math.max(mb.uidNext, maxUid + 1);
    const msgDir = path.join(dir, 'msg');
    await fsp.mkdir(msgDir, { recursive: true, mode: 0o700 });
    const present = new Set<number>();
    for (const f of await fsp.readdir(msgDir)) {
      const uid = f.endsWith('.eml') ? Number(f.slice(0, -4)) : NaN;
      if (Number.isInteger(uid) && mb.byUid.has(uid)) present.add(uid);
      else await fsp.rm(path.join(msgDir, f), { force: true });
    }
    for (const uid of [...mb.byUid.keys()]) {
      if (present.has(uid)) continue;
      log.warn(`mail store: message file of UID ${uid} in ${dir} is missing; dropped`);
      mb.byUid.delete(uid);
    }
    mb.messages = [...mb.byUid.values()].sort((a, b) => a.uid - b.uid);
    mb.nextShown = mb.uidNext;
    mb.journal.lines = lines;
    return mb;
  }
}

/** Normalises a mailbox name: "/" separated, INBOX in any case is INBOX (also as the first level). */
export function canonicalMailbox(name: string): string {
  const slash = name.indexOf('/');
  const first = slash < 0 ? name : name.slice(0, slash);
  return first.toUpperCase() === 'INBOX' ? `INBOX${slash < 0 ? '' : name.slice(slash)}` : name;
}

export class UserStore {
  readonly mailboxes = new Map<string, Mailbox>();
  subscriptions = new Set<string>();
  private creating = new Map<string, Promise<Mailbox>>();
  private lastUidValidity = 0;

  constructor(
    readonly name: string,
    readonly dir: string,
    private readonly log: StoreLog,
  ) {}

  static async load(name: string, dir: string, log: StoreLog): Promise<UserStore> {
    const u = new UserStore(name, dir, log);
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('.deleted-')) {
        await fsp.rm(full, { recursive: true, force: true });
        continue;
      }
      const mb = await Mailbox.load(full, log);
      if (!mb) continue;
      if (u.mailboxes.has(mb.name)) {
        log.warn(`mail store: two folders claim mailbox "${mb.name}" of ${name}; keeping the first`);
        continue;
      }
      u.mailboxes.set(mb.name, mb);
      u.lastUidValidity = Math.max(u.lastUidValidity, mb.uidValidity);
    }
    try {
      const subs = JSON.parse(await fsp.readFile(path.join(dir, 'subscriptions.json'), 'utf8')) as string[];
      u.subscriptions = new Set(subs);
    } catch {
      // none yet
    }
    return u;
  }

  get(name: string): Mailbox | undefined {
    return this.mailboxes.get(canonicalMailbox(name));
  }

  /** INBOX always exists for a user: made on first use. */
  inbox(): Promise<Mailbox> {
    const mb = this.mailboxes.get('INBOX');
    if (mb) return Promise.resolve(mb);
    return this.creating.get('INBOX') ?? this.create('INBOX');
  }

  async create(rawName: string): Promise<Mailbox> {
    const name = canonicalMailbox(rawName);
    const pending = this.creating.get(name);
    if (pending) return pending.then(() => Promise.reject(new MailboxExistsError(name)));
    if (this.mailboxes.has(name)) throw new MailboxExistsError(name);
    const uidValidity = Math.max(Math.floor(Date.now() / 1000), this.lastUidValidity + 1);
    this.lastUidValidity = uidValidity;
    const p = Mailbox.create(
      path.join(this.dir, randomBytes(6).toString('hex')),
      name,
      uidValidity,
      this.log,
    ).then((mb) => {
      this.mailboxes.set(name, mb);
      return mb;
    });
    this.creating.set(name, p);
    try {
      return await p;
    } finally {
      this.creating.delete(name);
    }
  }

  async remove(rawName: string): Promise<void> {
    const name = canonicalMailbox(rawName);
    const mb = this.mailboxes.get(name);
    if (!mb) return;
    this.mailboxes.delete(name);
    for (const l of mb.listeners) l({ kind: 'deleted' });
    mb.listeners.clear();
    await mb.journal.drain();
    const gone = path.join(this.dir, `.deleted-${path.basename(mb.dir)}`);
    await fsp.rename(mb.dir, gone);
    await syncDir(this.dir);
    await fsp.rm(gone, { recursive: true, force: true });
  }

  /** Renames a mailbox and every mailbox below it (RFC 3501 6.3.5); INBOX's messages move instead. */
  async rename(rawFrom: string, rawTo: string): Promise<void> {
    const from = canonicalMailbox(rawFrom);
    const to = canonicalMailbox(rawTo);
    const mb = this.mailboxes.get(from);
    if (!mb) throw new Error('no such mailbox');
    if (this.mailboxes.has(to) || this.creating.has(to)) throw new MailboxExistsError(to);
    if (from === 'INBOX') {
      const target = await this.create(to);
      const uids = mb.messages.map((m) => m.uid);
      await target.moveFrom(mb, uids);
      return;
    }
    const moves = [...this.mailboxes.values()]
      .filter((m) => m.name === from || m.name.startsWith(`${from}/`))
      .map((m) => ({ m, next: to + m.name.slice(from.length) }));
    if (
      moves.some(
        ({ m, next }) => next !== m.name && this.mailboxes.has(next) && !moves.some((x) => x.m.name === next),
      )
    )
      throw new MailboxExistsError(to);
    for (const { m } of moves) this.mailboxes.delete(m.name);
    for (const { m, next } of moves) {
      m.name = next;
      this.mailboxes.set(next, m);
    }
    for (const { m } of moves) await m.saveMeta();
    const subs = [...this.subscriptions].map((s) =>
      s === from || s.startsWith(`${from}/`) ? to + s.slice(from.length) : s,
    );
    await this.setSubscriptions(new Set(subs));
  }

  async subscribe(rawName: string, on: boolean): Promise<void> {
    const name = canonicalMailbox(rawName);
    const next = new Set(this.subscriptions);
    if (on) next.add(name);
    else next.delete(name);
    await this.setSubscriptions(next);
  }

  private async setSubscriptions(next: Set<string>) {
    this.subscriptions = next;
    await writeAtomic(path.join(this.dir, 'subscriptions.json'), JSON.stringify([...next]));
  }

  async drain(): Promise<void> {
    await Promise.all([...this.mailboxes.values()].map((m) => m.journal.drain()));
  }
}

export class MailStore {
  private users = new Map<string, Promise<UserStore>>();

  constructor(
    readonly root: string,
    private readonly log: StoreLog,
  ) {}

  /** A user's mailboxes (loaded once, then kept in memory). `name` is the e-mail address, any case. */
  user(address: string): Promise<UserStore> {
    const name = address.trim().toLowerCase();
    let u = this.users.get(name);
    if (!u) {
      u = UserStore.load(name, path.join(this.root, safeName(name)), this.log);
      this.users.set(name, u);
      u.catch(() => this.users.delete(name));
    }
    return u;
  }

  /** Waits until every journal write in flight is on disk. */
  async close(): Promise<void> {
    const users = await Promise.allSettled(this.users.values());
    await Promise.all(users.map((u) => (u.status === 'fulfilled' ? u.value.drain() : undefined)));
  }
}
