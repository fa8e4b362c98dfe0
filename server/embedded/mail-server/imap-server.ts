/**
 * IMAP4rev1 (RFC 3501) with IDLE, UIDPLUS, MOVE, LITERAL+, SASL-IR, ID, ENABLE, NAMESPACE, UNSELECT, CHILDREN
 * over the MailStore. Any password is accepted; the user is the e-mail address. Each connection reads one
 * command at a time; changes made by other sessions or by SMTP delivery reach a session as untagged EXISTS /
 * EXPUNGE / FETCH at the end of its next command, or at once while it IDLEs.
 *
 * One file although past 1000 lines: it is one protocol's state machine. `Session` holds a connection's state
 * (authenticated, selected mailbox, its sequence numbers, IDLE) and every command reads and changes that state;
 * split by command, each piece would need the whole session anyway. The grammar (imap-parser.ts), SEARCH
 * (imap-search.ts), MIME structure (message-structure.ts, fetch-structure.ts) and storage (mail-store.ts) already
 * live apart.
 */
import net from 'node:net';
import { promises as fsp } from 'node:fs';
import {
  astring,
  formatDateTime,
  formatUidSet,
  imapString,
  isAtom,
  list,
  parseCommand,
  parseDateTime,
  ParseError,
  parseSeqSet,
  resolveSeqSet,
  type ParsedCommand,
  type SeqSet,
  type Token,
} from './imap-parser.ts';
import { ImapReader, MAX_LITERAL, tagOf } from './imap-reader.ts';
import { parseSearch, matches, type SearchTarget } from './imap-search.ts';
import {
  canonicalMailbox,
  MailboxExistsError,
  normalizeFlag,
  SYSTEM_FLAGS,
  type Mailbox,
  type MailboxEvent,
  type MailStore,
  type MessageMeta,
  type UserStore,
} from './mail-store.ts';
import { decodeMutf7, encodeMutf7 } from './mutf7.ts';
import { bodyStructure, envelope } from './fetch-structure.ts';
import {
  findPart,
  headerEnd,
  headerFields,
  parseHeaders,
  parseMessage,
  type MimePart,
} from './message-structure.ts';

export const CAPABILITIES =
  'IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN AUTH=PLAIN';
export const GREETING = 'Reclamatii local IMAP ready';
/** RECLAMATII_MAIL_TRACE=1 logs every command and its OK (not the data) to the mail log, for debugging. */
const TRACE = process.env.RECLAMATII_MAIL_TRACE === '1';
/** Bounds on what one user can pile up (every LIST walks the mailboxes; every record carries the flags). */
const MAX_MAILBOXES = 10_000;
const MAX_FLAGS = 100;
const AUTOLOGOUT_MS = 30 * 60_000;
/** Pause a big FETCH while this much is waiting in the socket (a slow client). */
const WRITE_HIGH_WATER = 4 * 1024 * 1024;

export interface ServerLog {
  info(msg: string): void;
  warn(msg: string): void;
}

/** Recently read messages and their parsed structure (message files never change, so the path is the key). */
class ContentCache {
  private entries = new Map<string, { buf: Buffer; parsed?: MimePart }>();
  private bytes = 0;
  constructor(private readonly max = 64 * 1024 * 1024) {}
  async get(file: string): Promise<{ buf: Buffer; parsed?: MimePart }> {
    const hit = this.entries.get(file);
    if (hit) {
      this.entries.delete(file);
      this.entries.set(file, hit);
      return hit;
    }
    const entry = { buf: await fsp.readFile(file) };
    if (entry.buf.length <= this.max / 4) {
      this.entries.set(file, entry);
      this.bytes += entry.buf.length;
      for (const [k, v] of this.entries) {
        if (this.bytes <= this.max) break;
        this.entries.delete(k);
        this.bytes -= v.buf.length;
      }
    }
    return entry;
  }
}

interface Selected {
  mb: Mailbox;
  readOnly: boolean;
  /** UIDs in the order of the sequence numbers this client knows. */
  uids: number[];
  pending: MailboxEvent[];
  listener: (e: MailboxEvent) => void;
  deleted: boolean;
}

type FetchItem =
  | { kind: 'UID' | 'FLAGS' | 'INTERNALDATE' | 'RFC822.SIZE' | 'ENVELOPE' | 'BODYSTRUCTURE' | 'BODY' }
  | { kind: 'RFC822' | 'RFC822.HEADER' | 'RFC822.TEXT' }
  | {
      kind: 'section';
      peek: boolean;
      /** As echoed in the response: "BODY[HEADER.FIELDS (FROM)]" */
      label: string;
      part: number[];
      spec: '' | 'HEADER' | 'TEXT' | 'MIME' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT';
      fields: string[];
      partial?: [number, number | undefined];
    };

class NoError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function validateName(name: string): string {
  if (!name) throw new NoError('Mailbox name is empty');
  if (name.length > 512) throw new NoError('Mailbox name too long');
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw new NoError('Mailbox name contains control characters');
  }
  if (name.split('/').some((p) => p === '')) throw new NoError('Mailbox name has an empty level');
  return name;
}

/** Glob of LIST: "*" matches anything, "%" anything but the "/" separator. Dynamic programming, no regex. */
export function globMatch(pattern: string, name: string): boolean {
  let prev = new Array<boolean>(name.length + 1).fill(false);
  prev[0] = true;
  for (const p of pattern) {
    const cur = new Array<boolean>(name.length + 1).fill(false);
    if (p === '*' || p === '%') {
      cur[0] = prev[0]!;
      for (let j = 1; j <= name.length; j++)
        cur[j] = prev[j]! || (cur[j - 1]! && (p === '*' || name[j - 1] !== '/'));
    } else {
      for (let j = 1; j <= name.length; j++) cur[j] = prev[j - 1]! && name[j - 1] === p;
    }
    prev = cur;
  }
  return prev[name.length]!;
}

/** Commands past login (the others are handled before this check). */
const KNOWN = new Set(
  [
    'ENABLE NAMESPACE LIST LSUB STATUS SELECT EXAMINE CREATE DELETE RENAME SUBSCRIBE UNSUBSCRIBE APPEND IDLE',
    'CLOSE UNSELECT EXPUNGE SEARCH FETCH STORE COPY MOVE',
    'UID_EXPUNGE UID_SEARCH UID_FETCH UID_STORE UID_COPY UID_MOVE',
  ]
    .join(' ')
    .split(' ')
    .map((c) => c.replace('_', ' ')),
);

function flagList(flags: Iterable<string>): string {
  return `(${[...flags].join(' ')})`;
}

function literal(buf: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`{${buf.length}}\r\n`), buf]);
}

class Session {
  private readonly reader: ImapReader;
  private user: UserStore | null = null;
  private sel: Selected | null = null;
  private idling = false;
  private flushScheduled = false;
  private done = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly store: MailStore,
    private readonly cache: ContentCache,
    private readonly log: ServerLog,
  ) {
    this.reader = new ImapReader(socket);
    socket.setNoDelay(true);
    socket.setTimeout(AUTOLOGOUT_MS, () => {
      this.send('* BYE Autologout; idle for too long\r\n');
      this.close();
    });
  }

  private send(...parts: Array<string | Buffer>) {
    if (this.done || this.socket.destroyed) return;
    if (parts.length === 1) {
      this.socket.write(parts[0]!);
      return;
    }
    // One segment on the wire for a response made of many pieces (the socket has Nagle off).
    this.socket.cork();
    for (const p of parts) this.socket.write(p);
    this.socket.uncork();
  }

  private async drainSocket() {
    if (this.socket.writableLength > WRITE_HIGH_WATER && !this.socket.destroyed)
      await new Promise<void>((r) => {
        this.socket.once('drain', r);
        this.socket.once('close', r);
      });
  }

  private close() {
    if (this.done) return;
    this.done = true;
    this.unselect();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 2000).unref();
  }

  async run() {
    this.send(`* OK [CAPABILITY ${CAPABILITIES}] ${GREETING}\r\n`);
    while (!this.done) {
      const res = await this.reader.readCommand(
        () => this.send('+ Ready for literal data\r\n'),
        this.user ? MAX_LITERAL : 64 * 1024,
      );
      if (res.kind === 'closed') break;
      if (res.kind === 'fatal') {
        this.send(`* BYE ${res.message}\r\n`);
        break;
      }
      if (res.kind === 'bad') {
        this.send(`${res.tag ?? '*'} BAD ${res.message}\r\n`);
        continue;
      }
      let cmd: ParsedCommand;
      try {
        cmd = parseCommand(res.parts);
      } catch (err) {
        const tag = tagOf(typeof res.parts[0] === 'string' ? res.parts[0] : '') ?? '*';
        this.send(`${tag} BAD ${(err as Error).message}\r\n`);
        continue;
      }
      if (TRACE) this.log.info(`IMAP ${this.user?.name ?? '-'} C: ${cmd.tag} ${cmd.name}`);
      try {
        await this.dispatch(cmd);
      } catch (err) {
        if (err instanceof ParseError) this.send(`${cmd.tag} BAD ${err.message}\r\n`);
        else if (err instanceof NoError)
          this.send(`${cmd.tag} NO ${err.code ? `[${err.code}] ` : ''}${err.message}\r\n`);
        else if (err instanceof MailboxExistsError)
          this.send(`${cmd.tag} NO [ALREADYEXISTS] Mailbox already exists\r\n`);
        else {
          this.log.warn(`IMAP ${cmd.name} failed: ${(err as Error).stack ?? String(err)}`);
          this.send(`${cmd.tag} NO [SERVERBUG] Internal server error, try again\r\n`);
        }
      }
    }
    this.close();
  }

  private ok(tag: string, text: string) {
    if (TRACE) this.log.info(`IMAP ${this.user?.name ?? '-'} S: ${tag} OK ${text.slice(0, 80)}`);
    this.send(`${tag} OK ${text}\r\n`);
  }

  private requireAuth(): UserStore {
    if (!this.user) throw new ParseError('Log in first');
    return this.user;
  }

  private requireSelected(): Selected {
    this.requireAuth();
    if (!this.sel) throw new ParseError('No mailbox selected');
    return this.sel;
  }

  /** A mailbox name argument, decoded from modified UTF-7. */
  private nameArg(t: Token | undefined): string {
    const wire = astring(t, 'a mailbox name');
    const name = decodeMutf7(wire);
    if (name === null) throw new ParseError('Mailbox name is not valid modified UTF-7');
    return canonicalMailbox(name.endsWith('/') ? name.slice(0, -1) : name);
  }

  /** An existing mailbox (INBOX is made on first use). */
  private async mailbox(name: string): Promise<Mailbox> {
    const user = this.requireAuth();
    if (name === 'INBOX') return user.inbox();
    const mb = user.get(name);
    if (!mb) throw new NoError('Mailbox does not exist', 'NONEXISTENT');
    return mb;
  }

  private flagsArg(t: Token | undefined, rest: Token[] = []): string[] {
    const tokens = t?.t === 'list' ? t.v : [t, ...rest].filter((x): x is Token => !!x);
    if (tokens.length > MAX_FLAGS) throw new ParseError(`At most ${MAX_FLAGS} flags at once`);
    const out: string[] = [];
    for (const tok of tokens) {
      if (!isAtom(tok)) throw new ParseError('Flags must be atoms');
      if (tok.v.length > 128) throw new ParseError('Flag too long');
      if (tok.v.toLowerCase() === '\\recent') continue;
      const f = normalizeFlag(tok.v);
      if (!f) throw new ParseError(`Invalid system flag ${tok.v.slice(0, 40)}`);
      for (let i = f.startsWith('\\') ? 1 : 0; i < f.length; i++)
        if ('%*\\'.includes(f[i]!)) throw new ParseError(`Invalid flag ${f.slice(0, 40)}`);
      out.push(f);
    }
    return out;
  }

  // ---- untagged updates ----

  private onEvent(sel: Selected, e: MailboxEvent) {
    if (e.kind === 'deleted') sel.deleted = true;
    else sel.pending.push(e);
    if (this.idling && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        if (this.idling) this.flush(true);
      });
    }
  }

  /**
   * Tells the client what changed in its mailbox. EXPUNGE is held back during FETCH, STORE and SEARCH (RFC 3501
   * 7.4.1: their sequence numbers would become ambiguous); messages the client never heard of leave silently.
   */
  private flush(allowExpunge: boolean) {
    const sel = this.sel;
    if (!sel) return;
    if (sel.deleted) {
      this.send('* BYE The selected mailbox was deleted\r\n');
      this.close();
      return;
    }
    if (!sel.pending.length) return;
    const events = sel.pending;
    sel.pending = [];
    let announced = sel.uids.length;
    const flagged = new Set<number>();
    const out: string[] = [];
    for (const e of events) {
      if (e.kind === 'exists') {
        if (!sel.uids.length || sel.uids[sel.uids.length - 1]! < e.uid) sel.uids.push(e.uid);
      } else if (e.kind === 'expunge') {
        const idx = indexOfUid(sel.uids, e.uid);
        if (idx < 0) continue;
        if (idx >= announced) sel.uids.splice(idx, 1);
        else if (allowExpunge) {
          out.push(`* ${idx + 1} EXPUNGE\r\n`);
          sel.uids.splice(idx, 1);
          announced--;
        } else sel.pending.push(e);
      } else if (e.kind === 'flags' && e.origin !== this) flagged.add(e.uid);
    }
    if (sel.uids.length !== announced) out.push(`* ${sel.uids.length} EXISTS\r\n`);
    for (const uid of flagged) {
      const idx = indexOfUid(sel.uids, uid);
      const m = sel.mb.byUid.get(uid);
      if (idx >= 0 && m) out.push(`* ${idx + 1} FETCH (UID ${uid} FLAGS ${flagList(m.flags)})\r\n`);
    }
    if (out.length) this.send(out.join(''));
  }

  private select(mb: Mailbox, readOnly: boolean) {
    this.unselect();
    const sel: Selected = {
      mb,
      readOnly,
      uids: mb.messages.map((m) => m.uid),
      pending: [],
      listener: (e) => this.onEvent(sel, e),
      deleted: false,
    };
    mb.listeners.add(sel.listener);
    this.sel = sel;
    return sel;
  }

  private unselect() {
    if (this.sel) this.sel.mb.listeners.delete(this.sel.listener);
    this.sel = null;
  }

  /** Messages a sequence or UID set names, in sequence order; gone ones are left out. */
  private targets(sel: Selected, set: SeqSet, byUid: boolean): Array<{ seq: number; meta: MessageMeta }> {
    const view = sel.uids;
    const idx = new Set<number>();
    if (!byUid) {
      for (const [a, b] of resolveSeqSet(set, view.length))
        for (let i = Math.max(a, 1); i <= Math.min(b, view.length); i++) idx.add(i - 1);
    } else {
      const max = view.length ? view[view.length - 1]! : 0;
      for (const [a, b] of resolveSeqSet(set, max)) {
        let lo = 0;
        let hi = view.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (view[mid]! < a) lo = mid + 1;
          else hi = mid;
        }
        for (let i = lo; i < view.length && view[i]! <= b; i++) idx.add(i);
      }
    }
    const out: Array<{ seq: number; meta: MessageMeta }> = [];
    for (const i of [...idx].sort((x, y) => x - y)) {
      const meta = sel.mb.byUid.get(view[i]!);
      if (meta) out.push({ seq: i + 1, meta });
    }
    return out;
  }

  // ---- commands ----

  private async dispatch(cmd: ParsedCommand) {
    const { tag, name, args } = cmd;
    const byUid = name.startsWith('UID ');
    switch (name) {
      case 'CAPABILITY':
        this.send(`* CAPABILITY ${CAPABILITIES}\r\n`);
        return this.ok(tag, 'CAPABILITY completed');
      case 'NOOP':
      case 'CHECK':
        this.flush(true);
        return this.ok(tag, `${name} completed`);
      case 'LOGOUT':
        this.send('* BYE Logging out\r\n');
        this.ok(tag, 'LOGOUT completed');
        return this.close();
      case 'ID':
        this.send('* ID ("name" "reclamatii-mail" "vendor" "Reclamatii")\r\n');
        return this.ok(tag, 'ID completed');
      case 'STARTTLS':
        throw new ParseError('TLS is not offered by this local server');
      case 'LOGIN':
        return this.login(tag, astring(args[0], 'a user name'));
      case 'AUTHENTICATE':
        return this.authenticate(tag, args);
    }
    if (!KNOWN.has(name)) throw new ParseError(`Unknown command ${name.slice(0, 40)}`);
    if (!this.user) throw new ParseError(`${name} needs a login first`);
    switch (name) {
      case 'ENABLE':
        this.send('* ENABLED\r\n');
        return this.ok(tag, 'ENABLE completed');
      case 'NAMESPACE':
        this.send('* NAMESPACE (("" "/")) NIL NIL\r\n');
        return this.ok(tag, 'NAMESPACE completed');
      case 'LIST':
      case 'LSUB':
        return this.list(tag, name, args);
      case 'STATUS':
        return this.status(tag, args);
      case 'SELECT':
      case 'EXAMINE': {
        const mb = await this.mailbox(this.nameArg(args[0]));
        this.selectResponses(tag, this.select(mb, name === 'EXAMINE'));
        return;
      }
      case 'CREATE': {
        const n = validateName(this.nameArg(args[0]));
        if (n.includes('*') || n.includes('%')) throw new NoError('Mailbox names cannot contain * or %');
        if (n === 'INBOX' || this.user.get(n)) throw new MailboxExistsError(n);
        if (this.user.mailboxes.size >= MAX_MAILBOXES)
          throw new NoError(`At most ${MAX_MAILBOXES} mailboxes per user`, 'LIMIT');
        // RFC 3501 6.3.3: superior levels are created too, so none of them is a mere placeholder.
        for (let i = n.indexOf('/'); i > 0; i = n.indexOf('/', i + 1)) {
          const parent = n.slice(0, i);
          if (parent !== 'INBOX' && !this.user.get(parent))
            await this.user.create(parent).catch(() => undefined);
        }
        await this.user.create(n);
        this.flush(true);
        return this.ok(tag, 'CREATE completed');
      }
      case 'DELETE': {
        const n = this.nameArg(args[0]);
        if (n === 'INBOX') throw new NoError('INBOX cannot be deleted');
        if (!this.user.get(n)) throw new NoError('Mailbox does not exist', 'NONEXISTENT');
        if (this.sel?.mb === this.user.get(n)) this.unselect();
        await this.user.remove(n);
        return this.ok(tag, 'DELETE completed');
      }
      case 'RENAME': {
        const from = this.nameArg(args[0]);
        const to = validateName(this.nameArg(args[1]));
        if (from !== 'INBOX' && !this.user.get(from))
          throw new NoError('Mailbox does not exist', 'NONEXISTENT');
        if (from === 'INBOX') await this.user.inbox();
        if (to === 'INBOX' || this.user.get(to)) throw new MailboxExistsError(to);
        await this.user.rename(from, to);
        this.flush(true);
        return this.ok(tag, 'RENAME completed');
      }
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE':
        await this.user.subscribe(this.nameArg(args[0]), name === 'SUBSCRIBE');
        return this.ok(tag, `${name} completed`);
      case 'APPEND':
        return this.append(tag, args);
      case 'IDLE':
        return this.idle(tag);
    }
    const sel = this.requireSelected();
    switch (name) {
      case 'CLOSE':
      case 'UNSELECT': {
        if (name === 'CLOSE' && !sel.readOnly) {
          this.unselect(); // no untagged EXPUNGE for CLOSE
          await sel.mb.expunge(sel.mb.messages.filter((m) => m.flags.has('\\Deleted')).map((m) => m.uid));
        }
        this.unselect();
        return this.ok(tag, `${name} completed`);
      }
      case 'EXPUNGE':
      case 'UID EXPUNGE': {
        if (sel.readOnly) throw new NoError('Mailbox is read-only', 'READ-ONLY');
        let uids = sel.mb.messages.filter((m) => m.flags.has('\\Deleted')).map((m) => m.uid);
        if (byUid) {
          const only = new Set(this.targets(sel, parseSeqSet(args[0]), true).map((t) => t.meta.uid));
          uids = uids.filter((u) => only.has(u));
        }
        await sel.mb.expunge(uids);
        this.flush(true);
        return this.ok(tag, `${name} completed`);
      }
      case 'SEARCH':
      case 'UID SEARCH':
        return this.search(tag, sel, args, byUid);
      case 'FETCH':
      case 'UID FETCH':
        return this.fetch(tag, sel, args, byUid);
      case 'STORE':
      case 'UID STORE':
        return this.storeFlags(tag, sel, args, byUid);
      case 'COPY':
      case 'UID COPY':
      case 'MOVE':
      case 'UID MOVE':
        return this.copy(tag, sel, args, byUid, name.endsWith('MOVE'));
    }
    throw new ParseError(`Unknown command ${name.slice(0, 40)}`);
  }

  private async login(tag: string, rawUser: string) {
    if (this.user) throw new ParseError('Already logged in');
    const user = rawUser.trim().toLowerCase();
    let bad = !user || user.length > 254;
    for (let i = 0; i < user.length && !bad; i++)
      bad = user.charCodeAt(i) <= 0x20 || user.charCodeAt(i) === 0x7f;
    if (bad) throw new NoError('Invalid user name', 'AUTHENTICATIONFAILED');
    this.user = await this.store.user(user);
    this.ok(tag, `[CAPABILITY ${CAPABILITIES}] Logged in as ${user}`);
  }

  private async authenticate(tag: string, args: Token[]) {
    if (this.user) throw new ParseError('Already logged in');
    const mech = astring(args[0], 'a SASL mechanism').toUpperCase();
    if (mech !== 'PLAIN') throw new NoError('Only AUTHENTICATE PLAIN is offered', 'CANNOT');
    let response = args[1] ? astring(args[1], 'an initial response') : null;
    if (response === null) {
      this.send('+ \r\n');
      const line = await this.reader.readLine();
      if (line === null) return this.close();
      if (!Buffer.isBuffer(line)) throw new ParseError('Authentication response too long');
      response = line.toString('latin1');
    }
    if (response === '*') throw new ParseError('Authentication cancelled');
    const parts = Buffer.from(response === '=' ? '' : response, 'base64')
      .toString('utf8')
      .split('\0');
    if (parts.length !== 3) throw new ParseError('Malformed PLAIN response');
    return this.login(tag, parts[1] || parts[0]!);
  }

  private selectResponses(tag: string, sel: Selected) {
    const keywords = new Set<string>();
    let firstUnseen = 0;
    sel.mb.messages.forEach((m, i) => {
      for (const f of m.flags) if (!f.startsWith('\\')) keywords.add(f);
      if (!firstUnseen && !m.flags.has('\\Seen')) firstUnseen = i + 1;
    });
    const flags = [...SYSTEM_FLAGS, ...[...keywords].slice(0, 200)];
    const lines = [
      `* FLAGS ${flagList(flags)}`,
      `* OK [PERMANENTFLAGS ${sel.readOnly ? '()' : flagList([...flags, '\\*'])}] Flags permitted`,
      `* ${sel.uids.length} EXISTS`,
      '* 0 RECENT',
      ...(firstUnseen ? [`* OK [UNSEEN ${firstUnseen}] First unseen`] : []),
      `* OK [UIDVALIDITY ${sel.mb.uidValidity}] UIDs valid`,
      `* OK [UIDNEXT ${sel.mb.uidNext}] Predicted next UID`,
    ];
    this.send(`${lines.join('\r\n')}\r\n`);
    this.ok(
      tag,
      `[${sel.readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${sel.readOnly ? 'EXAMINE' : 'SELECT'} completed`,
    );
  }

  private list(tag: string, name: 'LIST' | 'LSUB', args: Token[]) {
    const user = this.requireAuth();
    let a = args;
    if (a[0]?.t === 'list') a = a.slice(1); // LIST-EXTENDED selection options: ignored
    const ref = decodeMutf7(astring(a[0], 'a reference name'));
    const pat = decodeMutf7(astring(a[1], 'a mailbox pattern'));
    if (ref === null || pat === null) throw new ParseError('Names must be valid modified UTF-7');
    if (pat.length > 1024 || ref.length > 1024) throw new ParseError('Pattern too long');
    if (!pat) {
      if (name === 'LIST') this.send('* LIST (\\Noselect) "/" ""\r\n');
      return this.ok(tag, `${name} completed`);
    }
    // Reference and pattern are simply joined, as dovecot does (`LIST "INBOX" *` lists INBOX and below).
    const pattern = canonicalMailbox(ref + pat);
    const real = new Set([...user.mailboxes.keys(), 'INBOX']);
    const all = new Set(real);
    for (const n of real)
      for (let i = n.indexOf('/'); i > 0; i = n.indexOf('/', i + 1)) all.add(n.slice(0, i));
    const candidates = name === 'LSUB' ? new Set([...user.subscriptions, 'INBOX']) : all;
    const sorted = [...candidates].sort((x, y) =>
      x === 'INBOX' ? -1 : y === 'INBOX' ? 1 : x < y ? -1 : x > y ? 1 : 0,
    );
    const out: Buffer[] = [];
    // INBOX is case-insensitive, in patterns too ("inbox*").
    const inboxPattern = pattern.slice(0, 5).toUpperCase() === 'INBOX' ? `INBOX${pattern.slice(5)}` : pattern;
    for (const n of sorted) {
      if (!globMatch(pattern, n) && !globMatch(inboxPattern, n)) continue;
      const attrs: string[] = [];
      if (!real.has(n)) attrs.push('\\Noselect');
      let children = false;
      for (const m of all) if (m.startsWith(`${n}/`)) children = true;
      attrs.push(children ? '\\HasChildren' : '\\HasNoChildren');
      out.push(
        Buffer.from(`* ${name} (${attrs.join(' ')}) "/" `),
        imapString(encodeMutf7(n)),
        Buffer.from('\r\n'),
      );
    }
    this.send(Buffer.concat(out));
    this.ok(tag, `${name} completed`);
  }

  private async status(tag: string, args: Token[]) {
    const name = this.nameArg(args[0]);
    const items = list(args[1], 'list of STATUS items').map((t) => astring(t, 'a STATUS item').toUpperCase());
    const mb = await this.mailbox(name);
    const values: string[] = [];
    for (const item of items) {
      switch (item) {
        case 'MESSAGES':
          values.push(`MESSAGES ${mb.messages.length}`);
          break;
        case 'RECENT':
          values.push('RECENT 0');
          break;
        case 'UIDNEXT':
          values.push(`UIDNEXT ${mb.uidNext}`);
          break;
        case 'UIDVALIDITY':
          values.push(`UIDVALIDITY ${mb.uidValidity}`);
          break;
        case 'UNSEEN':
          values.push(`UNSEEN ${mb.messages.filter((m) => !m.flags.has('\\Seen')).length}`);
          break;
        case 'SIZE':
          values.push(`SIZE ${mb.messages.reduce((n, m) => n + m.size, 0)}`);
          break;
        default:
          throw new ParseError(`Unknown STATUS item ${item.slice(0, 40)}`);
      }
    }
    this.send(
      Buffer.concat([
        Buffer.from('* STATUS '),
        imapString(encodeMutf7(mb.name)),
        Buffer.from(` (${values.join(' ')})\r\n`),
      ]),
    );
    this.flush(true);
    this.ok(tag, 'STATUS completed');
  }

  private async append(tag: string, args: Token[]) {
    const name = this.nameArg(args[0]);
    const message = args[args.length - 1];
    if (args.length < 2 || args.length > 4 || message?.t !== 'string')
      throw new ParseError('APPEND needs a mailbox, optional flags and date, then the message as a literal');
    let flags: string[] = [];
    let date = Date.now();
    for (const t of args.slice(1, -1)) {
      if (t.t === 'list') flags = this.flagsArg(t);
      else if (t.t === 'string') {
        date = parseDateTime(t.v.toString('latin1'));
        if (Number.isNaN(date))
          throw new ParseError('Bad date-time, expected e.g. "17-Jul-2026 02:44:25 +0300"');
      } else throw new ParseError('APPEND: unexpected argument before the message');
    }
    const user = this.requireAuth();
    const mb = name === 'INBOX' ? await user.inbox() : user.get(name);
    if (!mb) throw new NoError('Mailbox does not exist', 'TRYCREATE');
    const uid = await mb.append(message.v, [...new Set(flags)], date);
    this.flush(true);
    this.ok(tag, `[APPENDUID ${mb.uidValidity} ${uid}] APPEND completed`);
  }

  private async idle(tag: string) {
    this.send('+ idling\r\n');
    this.idling = true;
    this.flush(true);
    const line = await this.reader.readLine();
    this.idling = false;
    if (line === null) return this.close();
    if (!Buffer.isBuffer(line) || line.toString('latin1').toUpperCase() !== 'DONE')
      throw new ParseError('Expected DONE to end IDLE');
    this.flush(true);
    this.ok(tag, 'IDLE terminated');
  }

  private async search(tag: string, sel: Selected, args: Token[], byUid: boolean) {
    const q = parseSearch(args);
    if ('badCharset' in q)
      throw new NoError('Only UTF-8 and US-ASCII searches', 'BADCHARSET (UTF-8 US-ASCII)');
    const found: number[] = [];
    const maxSeq = sel.uids.length;
    const maxUid = maxSeq ? sel.uids[maxSeq - 1]! : 0;
    for (let i = 0; i < sel.uids.length; i++) {
      const meta = sel.mb.byUid.get(sel.uids[i]!);
      if (!meta) continue;
      const target: SearchTarget = { meta, seq: i + 1 };
      if (q.needsContent) {
        try {
          target.content = (await this.cache.get(sel.mb.readPath(meta.uid))).buf;
        } catch {
          continue; // expunged meanwhile
        }
      }
      if (matches(q.root, target, maxSeq, maxUid)) found.push(byUid ? meta.uid : i + 1);
    }
    this.send(`* SEARCH${found.length ? ' ' : ''}${found.join(' ')}\r\n`);
    this.flush(byUid);
    this.ok(tag, `${byUid ? 'UID SEARCH' : 'SEARCH'} completed`);
  }

  private parseFetchItems(t: Token | undefined): FetchItem[] {
    if (!t) throw new ParseError('FETCH needs data items');
    if (isAtom(t)) {
      const macro = t.v.toUpperCase();
      const fast: FetchItem[] = [{ kind: 'FLAGS' }, { kind: 'INTERNALDATE' }, { kind: 'RFC822.SIZE' }];
      if (macro === 'FAST') return fast;
      if (macro === 'ALL') return [...fast, { kind: 'ENVELOPE' }];
      if (macro === 'FULL') return [...fast, { kind: 'ENVELOPE' }, { kind: 'BODY' }];
    }
    const tokens = t.t === 'list' ? t.v : [t];
    if (!tokens.length) throw new ParseError('Empty FETCH item list');
    return tokens.map((tok) => this.fetchItem(tok));
  }

  private fetchItem(tok: Token): FetchItem {
    if (tok.t !== 'atom') throw new ParseError('FETCH items are atoms');
    const key = tok.v.toUpperCase();
    if (!tok.section) {
      switch (key) {
        case 'UID':
        case 'FLAGS':
        case 'INTERNALDATE':
        case 'RFC822.SIZE':
        case 'ENVELOPE':
        case 'BODYSTRUCTURE':
        case 'BODY':
        case 'RFC822':
        case 'RFC822.HEADER':
        case 'RFC822.TEXT':
          return { kind: key };
      }
      throw new ParseError(`Unknown FETCH item ${key.slice(0, 40)}`);
    }
    if (key !== 'BODY' && key !== 'BODY.PEEK')
      throw new ParseError(`Unknown FETCH item ${key.slice(0, 40)}[...]`);
    const sec = tok.section;
    const first = sec[0];
    let text = '';
    if (first) {
      if (!isAtom(first)) throw new ParseError('Bad section');
      text = first.v.toUpperCase();
    }
    const pieces = text ? text.split('.') : [];
    const part: number[] = [];
    while (pieces.length && pieces[0] !== '' && /^[0-9]{1,6}$/.test(pieces[0]!)) {
      const n = Number(pieces.shift());
      if (n === 0) throw new ParseError('Part numbers start at 1');
      part.push(n);
    }
    const spec = pieces.join('.');
    if (!['', 'HEADER', 'TEXT', 'MIME', 'HEADER.FIELDS', 'HEADER.FIELDS.NOT'].includes(spec))
      throw new ParseError(`Unknown section ${text.slice(0, 40)}`);
    if (spec === 'MIME' && !part.length) throw new ParseError('MIME needs a part number');
    let fields: string[] = [];
    let label = text;
    if (spec.startsWith('HEADER.FIELDS')) {
      fields = list(sec[1], 'list of header field names').map((f) => astring(f, 'a header field name'));
      if (!fields.length) throw new ParseError('HEADER.FIELDS needs field names');
      label = `${text} (${fields.map((f) => f.toUpperCase()).join(' ')})`;
      if (sec.length > 2) throw new ParseError('Bad section');
    } else if (sec.length > 1) throw new ParseError('Bad section');
    return {
      kind: 'section',
      peek: key === 'BODY.PEEK',
      label: `BODY[${label}]`,
      part,
      spec: spec as 'HEADER',
      fields,
      partial: tok.partial,
    };
  }

  private async fetch(tag: string, sel: Selected, args: Token[], byUid: boolean) {
    const set = parseSeqSet(args[0]);
    const items = this.parseFetchItems(args[1]);
    if (args.length > 2) throw new ParseError('FETCH modifiers are not supported');
    if (byUid && !items.some((i) => i.kind === 'UID')) items.unshift({ kind: 'UID' });
    const needsContent = items.some((i) => !['UID', 'FLAGS', 'INTERNALDATE', 'RFC822.SIZE'].includes(i.kind));
    const marksSeen =
      !sel.readOnly &&
      items.some((i) => i.kind === 'RFC822' || i.kind === 'RFC822.TEXT' || (i.kind === 'section' && !i.peek));
    for (const { seq, meta } of this.targets(sel, set, byUid)) {
      let entry: { buf: Buffer; parsed?: MimePart } | null = null;
      if (needsContent) {
        try {
          entry = await this.cache.get(sel.mb.readPath(meta.uid));
        } catch {
          continue; // expunged by another session meanwhile
        }
      }
      let addFlags = false;
      if (marksSeen && !meta.flags.has('\\Seen')) {
        await sel.mb.setFlags([meta.uid], 'add', ['\\Seen'], this);
        addFlags = !items.some((i) => i.kind === 'FLAGS');
      }
      const parts: Buffer[] = [];
      const add = (label: string, value: Buffer | string) =>
        parts.push(
          Buffer.from(`${parts.length ? ' ' : ''}${label} `),
          typeof value === 'string' ? Buffer.from(value) : value,
        );
      for (const item of items) this.fetchValue(item, meta, entry, add);
      if (addFlags) add('FLAGS', flagList(meta.flags));
      this.send(Buffer.from(`* ${seq} FETCH (`), ...parts, Buffer.from(')\r\n'));
      await this.drainSocket();
    }
    this.flush(byUid);
    this.ok(tag, `${byUid ? 'UID FETCH' : 'FETCH'} completed`);
  }

  private fetchValue(
    item: FetchItem,
    meta: MessageMeta,
    entry: { buf: Buffer; parsed?: MimePart } | null,
    add: (label: string, value: Buffer | string) => void,
  ) {
    const buf = entry?.buf ?? Buffer.alloc(0);
    const parsed = () => (entry!.parsed ??= parseMessage(buf));
    const topHeaderEnd = () => (entry?.parsed ? entry.parsed.bodyStart : headerEnd(buf, 0, buf.length));
    switch (item.kind) {
      case 'UID':
        return add('UID', String(meta.uid));
      case 'FLAGS':
        return add('FLAGS', flagList(meta.flags));
      case 'INTERNALDATE':
        return add('INTERNALDATE', `"${formatDateTime(meta.internalDate)}"`);
      case 'RFC822.SIZE':
        return add('RFC822.SIZE', String(meta.size));
      case 'ENVELOPE':
        return add('ENVELOPE', envelope(parseHeaders(buf, 0, topHeaderEnd())));
      case 'BODYSTRUCTURE':
        return add('BODYSTRUCTURE', bodyStructure(buf, parsed(), true));
      case 'BODY':
        return add('BODY', bodyStructure(buf, parsed(), false));
      case 'RFC822':
        return add('RFC822', literal(buf));
      case 'RFC822.HEADER':
        return add('RFC822.HEADER', literal(buf.subarray(0, topHeaderEnd())));
      case 'RFC822.TEXT':
        return add('RFC822.TEXT', literal(buf.subarray(topHeaderEnd())));
      case 'section': {
        let data: Buffer;
        if (!item.part.length && item.spec !== 'MIME') {
          const he = topHeaderEnd();
          data =
            item.spec === ''
              ? buf
              : item.spec === 'HEADER'
                ? buf.subarray(0, he)
                : item.spec === 'TEXT'
                  ? buf.subarray(he)
                  : headerFields(parseHeaders(buf, 0, he), item.fields, item.spec === 'HEADER.FIELDS.NOT');
        } else {
          const p = findPart(parsed(), item.part);
          if (!p) data = Buffer.alloc(0);
          else if (item.spec === '') data = buf.subarray(p.bodyStart, p.bodyEnd);
          else if (item.spec === 'MIME') data = buf.subarray(p.headerStart, p.bodyStart);
          else if (!p.message) data = Buffer.alloc(0);
          else {
            const m = p.message;
            data =
              item.spec === 'HEADER'
                ? buf.subarray(m.headerStart, m.bodyStart)
                : item.spec === 'TEXT'
                  ? buf.subarray(m.bodyStart, m.bodyEnd)
                  : headerFields(m.headers, item.fields, item.spec === 'HEADER.FIELDS.NOT');
          }
        }
        let label = item.label;
        if (item.partial) {
          const [start, len] = item.partial;
          data = data.subarray(start, len === undefined ? undefined : start + len);
          label += `<${start}>`;
        }
        return add(label, literal(data));
      }
    }
  }

  private async storeFlags(tag: string, sel: Selected, args: Token[], byUid: boolean) {
    const set = parseSeqSet(args[0]);
    const what = isAtom(args[1]) ? args[1].v.toUpperCase() : '';
    const silent = what.endsWith('.SILENT');
    const base = silent ? what.slice(0, -7) : what;
    const mode = base === '+FLAGS' ? 'add' : base === '-FLAGS' ? 'remove' : base === 'FLAGS' ? 'set' : null;
    if (!mode) throw new ParseError('STORE needs FLAGS, +FLAGS or -FLAGS (optionally .SILENT)');
    const flags = this.flagsArg(args[2], args.slice(3));
    if (sel.readOnly) throw new NoError('Mailbox is read-only', 'READ-ONLY');
    const targets = this.targets(sel, set, byUid);
    await sel.mb.setFlags(
      targets.map((t) => t.meta.uid),
      mode,
      flags,
      this,
    );
    if (!silent) {
      const out = targets.map(
        (t) => `* ${t.seq} FETCH (${byUid ? `UID ${t.meta.uid} ` : ''}FLAGS ${flagList(t.meta.flags)})\r\n`,
      );
      if (out.length) this.send(out.join(''));
    }
    this.flush(byUid);
    this.ok(tag, `${byUid ? 'UID STORE' : 'STORE'} completed`);
  }

  private async copy(tag: string, sel: Selected, args: Token[], byUid: boolean, move: boolean) {
    const set = parseSeqSet(args[0]);
    const name = this.nameArg(args[1]);
    const user = this.requireAuth();
    if (move && sel.readOnly) throw new NoError('Mailbox is read-only', 'READ-ONLY');
    const dest = name === 'INBOX' ? await user.inbox() : user.get(name);
    if (!dest) throw new NoError('Mailbox does not exist', 'TRYCREATE');
    const uids = this.targets(sel, set, byUid).map((t) => t.meta.uid);
    const r = move ? await dest.moveFrom(sel.mb, uids) : await dest.copyFrom(sel.mb, uids);
    const code = r.from.length
      ? `[COPYUID ${dest.uidValidity} ${formatUidSet(r.from)} ${formatUidSet(r.to)}] `
      : '';
    if (!move) {
      this.flush(byUid);
      return this.ok(tag, `${code}COPY completed`);
    }
    if (code) this.send(`* OK ${code}Moved\r\n`);
    this.flush(true);
    this.ok(tag, `${byUid ? 'UID MOVE' : 'MOVE'} completed`);
  }
}

function indexOfUid(uids: number[], uid: number): number {
  let lo = 0;
  let hi = uids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (uids[mid]! < uid) lo = mid + 1;
    else hi = mid;
  }
  return uids[lo] === uid ? lo : -1;
}

export interface ImapServer {
  close(): Promise<void>;
}

export function startImapServer(opts: {
  store: MailStore;
  host: string;
  port: number;
  log: ServerLog;
}): Promise<ImapServer> {
  const cache = new ContentCache();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {}); // a reset by the client ends the session, nothing else
    new Session(socket, opts.store, cache, opts.log).run().catch((err: Error) => {
      opts.log.warn(`IMAP session failed: ${err.stack ?? err.message}`);
      socket.destroy();
    });
  });
  server.maxConnections = 2000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      server.on('error', (err) => opts.log.warn(`IMAP server: ${err.message}`));
      resolve({
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) {
              s.end('* BYE Server shutting down\r\n');
              setTimeout(() => s.destroy(), 500).unref();
            }
            server.close(() => r());
          }),
      });
    });
  });
}
