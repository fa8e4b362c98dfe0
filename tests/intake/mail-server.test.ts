import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { cases, mailAccounts } from '../../server/db/schema/index.ts';
import { startMailServer, type MailServerHandle } from '../../server/embedded/mail-process.ts';
import { decryptSecret } from '../../server/intake/mail/credentials.ts';
import { saveMailAccount } from '../../server/intake/mail/mail-accounts.repo.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  appendRaw,
  folderContents,
  giveTenantsFreshAddresses,
  imapClient,
  messageId,
  rfc822,
  runIntake,
  sendRaw,
} from './intake-helpers.ts';

/** Bytes no mail client would write, to prove the server stores what it is given. */
function awkwardMessage(): Buffer {
  return Buffer.concat([
    Buffer.from(
      `Message-ID: ${messageId()}\r\nFrom:   "Ion"   <ion@example.test>\r\nSubject: =?windows-1250?Q?Factur=E3?=\r\n\tcontinued   \r\nX-Odd:no-space\r\nContent-Type: text/plain; charset=windows-1250\r\nContent-Transfer-Encoding: 8bit\r\n\r\n`,
    ),
    Buffer.from([
      0x46, 0x61, 0x63, 0x74, 0x75, 0x72, 0xe3, 0x20, 0xba, 0xfe, 0x20, 0xaa, 0xde, 0x20, 0x20, 0x0d, 0x0a,
    ]),
    Buffer.from(`${'x'.repeat(1500)}\r\n.\r\n..two dots\r\n\r\n\r\n`),
  ]);
}

/** A multipart message with an alternative, a forwarded message and a PDF, CRLF line ends. */
const MULTIPART = [
  'From: "Ion Popescu" <ion@example.test>',
  'To: a@b.test, Grup: x@y.test, z@w.test;',
  'Cc: =?utf-8?Q?Mih=C4=83i?= <m@example.test>',
  'Subject: Multipart test',
  'Date: Tue, 01 Dec 2026 10:00:00 +0200',
  'Message-ID: <m1@example.test>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="outer"',
  '',
  'preamble',
  '--outer',
  'Content-Type: multipart/alternative; boundary=inner',
  '',
  '--inner',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'plain text',
  'line two',
  '--inner',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>html</p>',
  '--inner--',
  '--outer',
  'Content-Type: message/rfc822',
  'Content-Disposition: attachment; filename="fwd.eml"',
  '',
  'From: other@example.test',
  'Subject: inner',
  '',
  'inner body',
  '--outer',
  'Content-Type: application/pdf; name="f.pdf"',
  'Content-Transfer-Encoding: base64',
  'Content-Disposition: attachment; filename="f.pdf"',
  '',
  'JVBERi0xLjQK',
  '--outer--',
  'epilogue',
  '',
].join('\r\n');

/** A plain socket speaking IMAP: for the commands imapflow never sends, and for malformed input. */
class RawImap {
  private buf = '';
  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => (this.buf += d.toString('latin1')));
  }
  static async open(host = inject('imapHost'), port = inject('imapPort')): Promise<RawImap> {
    const socket = net.connect(port, host);
    await new Promise<void>((r, j) => socket.once('connect', r).once('error', j));
    const c = new RawImap(socket);
    await c.until((b) => b.includes('\r\n'));
    c.buf = '';
    return c;
  }
  /** Waits until `done(buffer)` holds, then returns the buffer and empties it. */
  async until(done: (b: string) => boolean, ms = 5000): Promise<string> {
    await waitFor(
      () => {
        if (done(this.buf)) return true;
        throw new Error(`got: ${this.buf.slice(-300)}`);
      },
      { timeoutMs: ms, stepMs: 10, what: 'an answer' },
    );
    const out = this.buf;
    this.buf = '';
    return out;
  }
  write(data: string | Buffer) {
    this.socket.write(data);
  }
  /** Sends `tag command` and returns everything up to and including its tagged answer. */
  command(tag: string, text: string): Promise<string> {
    this.write(`${tag} ${text}\r\n`);
    return this.until((b) => b.startsWith(`${tag} `) || b.includes(`\r\n${tag} `));
  }
  close() {
    this.socket.destroy();
  }
}

const log = { info: () => {}, warn: (m: string) => console.warn(m) };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function clientOf(m: MailServerHandle, user: string) {
  return new ImapFlow({
    host: m.imapHost,
    port: m.imapPort,
    secure: false,
    auth: { user, pass: 'x' },
    logger: false,
  });
}

/** Issue 3 point 1: the local mail server keeps bytes verbatim, pushes new mail with IDLE, keeps mail on disk. */
describe('the local mail server', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t?.close());

  it('returns exactly the bytes given by IMAP APPEND', async () => {
    const user = `verbatim-${randomBytes(4).toString('hex')}@reclamatii.local`;
    const raw = awkwardMessage();
    await appendRaw(user, raw);
    const [stored] = await folderContents(user, 'INBOX');
    expect(Buffer.compare(stored!, raw)).toBe(0);
  });

  it('keeps a message sent over SMTP byte for byte, after the trace headers of delivery', async () => {
    const user = `smtp-${randomBytes(4).toString('hex')}@reclamatii.local`;
    const raw = awkwardMessage();
    await sendRaw(user, raw, 'ion@example.test');
    const [stored] = await folderContents(user, 'INBOX');
    const prefix = Buffer.from(`Return-Path: <ion@example.test>\r\nDelivered-To: ${user}\r\n`);
    expect(stored!.subarray(0, prefix.length).toString()).toBe(prefix.toString());
    expect(Buffer.compare(stored!.subarray(prefix.length), raw)).toBe(0);
  });

  it('gives a bounce an empty Return-Path and each recipient its own copy', async () => {
    const [a, b] = ['a', 'b'].map((x) => `${x}-${randomBytes(4).toString('hex')}@reclamatii.local`);
    const transport = nodemailer.createTransport(inject('smtpUrl'));
    try {
      await transport.sendMail({ envelope: { from: '', to: [a!, b!] }, raw: 'Subject: bounce\r\n\r\nx\r\n' });
    } finally {
      transport.close();
    }
    const [inA] = await folderContents(a!, 'INBOX');
    const [inB] = await folderContents(b!, 'INBOX');
    expect(inA!.toString()).toBe(`Return-Path: <>\r\nDelivered-To: ${a}\r\nSubject: bounce\r\n\r\nx\r\n`);
    expect(inB!.toString()).toContain(`Delivered-To: ${b}\r\n`);
  });

  it('pushes new mail to an IDLE client, from SMTP delivery and from another session', async () => {
    const user = `idle-${randomBytes(4).toString('hex')}@reclamatii.local`;
    await appendRaw(user, rfc822({ From: 'a@example.test', Subject: 'first' }, 'x'));
    const c = imapClient(user);
    await c.connect();
    try {
      await c.mailboxOpen('INBOX');
      expect(c.capabilities.has('IDLE')).toBe(true);
      const counts: number[] = [];
      let seen: () => void = () => {};
      c.on('exists', (d: { count: number }) => {
        counts.push(d.count);
        seen();
      });
      const next = () => new Promise<void>((r) => (seen = r));
      void c.idle();
      await waitFor(() => c.idling, { timeoutMs: 5_000, stepMs: 10, what: 'IDLE' });
      let sent = Date.now();
      let pushed = next();
      await sendRaw(user, rfc822({ From: 'a@example.test', Subject: 'second' }, 'y'));
      await pushed;
      expect(Date.now() - sent).toBeLessThan(1000);
      sent = Date.now();
      pushed = next();
      await appendRaw(user, rfc822({ From: 'a@example.test', Subject: 'third' }, 'z'));
      await pushed;
      expect(Date.now() - sent).toBeLessThan(1000);
      expect(counts).toEqual([2, 3]);
    } finally {
      await c.logout().catch(() => c.close());
    }
  });

  it('moves with MOVE and reports COPYUID; an IDLE session sees the flag change and the EXPUNGE', async () => {
    const user = `move-${randomBytes(4).toString('hex')}@reclamatii.local`;
    for (const s of ['one', 'two', 'three']) await appendRaw(user, rfc822({ Subject: s }, s));
    const c = imapClient(user);
    const watcher = imapClient(user);
    await Promise.all([c.connect(), watcher.connect()]);
    try {
      expect(c.capabilities.has('MOVE') && c.capabilities.has('UIDPLUS')).toBe(true);
      expect(await c.mailboxCreate('Processed')).toMatchObject({ created: true });
      expect(await c.mailboxCreate('Processed')).toMatchObject({ created: false }); // ALREADYEXISTS
      await c.mailboxOpen('INBOX');
      await watcher.mailboxOpen('INBOX');
      const expunged = new Promise<number>((r) => watcher.on('expunge', (d: { seq: number }) => r(d.seq)));
      const flagged = new Promise<[number, string[]]>((r) =>
        watcher.on('flags', (d: { uid?: number; flags: Set<string> }) => r([d.uid ?? 0, [...d.flags]])),
      );
      void watcher.idle();
      await c.messageFlagsAdd('3', ['\\Flagged'], { uid: true });
      expect(await flagged).toEqual([3, ['\\Flagged']]);
      const moved = await c.messageMove('2', 'Processed', { uid: true });
      expect(moved).toMatchObject({ destination: 'Processed' });
      expect(moved && [...moved.uidMap!]).toEqual([[2, 1]]);
      expect(await expunged).toBe(2);
      const status = await c.status('Processed', { messages: true, uidNext: true });
      expect(status).toMatchObject({ messages: 1, uidNext: 2 });
      const left: number[] = [];
      for await (const m of c.fetch('1:*', { uid: true })) left.push(m.uid);
      expect(left).toEqual([1, 3]);
    } finally {
      await Promise.all([c.logout(), watcher.logout()]).catch(() => undefined);
    }
  });

  it('answers ENVELOPE, BODYSTRUCTURE, sections and partial fetches on a raw connection', async () => {
    const user = `raw-${randomBytes(4).toString('hex')}@reclamatii.local`;
    await appendRaw(user, MULTIPART);
    const c = await RawImap.open();
    try {
      expect(await c.command('a', `LOGIN ${user} x`)).toMatch(/^a OK/m);
      expect(await c.command('b', 'SELECT INBOX')).toContain('* 1 EXISTS');
      const fetched = await c.command('c', 'FETCH 1 (ENVELOPE BODYSTRUCTURE)');
      expect(fetched).toContain(
        'ENVELOPE ("Tue, 01 Dec 2026 10:00:00 +0200" "Multipart test" (("Ion Popescu" NIL "ion" "example.test")) (("Ion Popescu" NIL "ion" "example.test")) (("Ion Popescu" NIL "ion" "example.test")) ((NIL NIL "a" "b.test")(NIL NIL "Grup" NIL)(NIL NIL "x" "y.test")(NIL NIL "z" "w.test")(NIL NIL NIL NIL)) (("=?utf-8?Q?Mih=C4=83i?=" NIL "m" "example.test")) NIL NIL "<m1@example.test>")',
      );
      expect(fetched).toContain(
        'BODYSTRUCTURE ((("text" "plain" ("CHARSET" "utf-8") NIL NIL "7bit" 20 2 NIL NIL NIL NIL)("text" "html" ("CHARSET" "utf-8") NIL NIL "7bit" 11 1 NIL NIL NIL NIL) "alternative" ("BOUNDARY" "inner") NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 54 (NIL "inner" ((NIL NIL "other" "example.test")) ((NIL NIL "other" "example.test")) ((NIL NIL "other" "example.test")) NIL NIL NIL NIL NIL) ("text" "plain" ("CHARSET" "us-ascii") NIL NIL "7bit" 10 1 NIL NIL NIL NIL) 4 NIL ("attachment" ("FILENAME" "fwd.eml")) NIL NIL)("application" "pdf" ("NAME" "f.pdf") NIL NIL "base64" 12 NIL ("attachment" ("FILENAME" "f.pdf")) NIL NIL) "mixed" ("BOUNDARY" "outer") NIL NIL NIL))',
      );
      const parts = await c.command(
        'd',
        'FETCH 1 (BODY.PEEK[1.2] BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] BODY.PEEK[3]<2.4> BODY.PEEK[1.1.MIME] BODY.PEEK[HEADER.FIELDS (Subject Date)] BODY.PEEK[]<0.12>)',
      );
      expect(parts).toContain('BODY[1.2] {11}\r\n<p>html</p>');
      expect(parts).toContain('BODY[2.HEADER] {44}\r\nFrom: other@example.test\r\nSubject: inner\r\n\r\n');
      expect(parts).toContain('BODY[2.TEXT] {10}\r\ninner body');
      expect(parts).toContain('BODY[3]<2> {4}\r\nBERi');
      expect(parts).toContain('BODY[1.1.MIME] {43}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n');
      expect(parts).toContain(
        'BODY[HEADER.FIELDS (SUBJECT DATE)] {66}\r\nSubject: Multipart test\r\nDate: Tue, 01 Dec 2026 10:00:00 +0200\r\n\r\n',
      );
      expect(parts).toContain('BODY[]<0> {12}\r\nFrom: "Ion P');
      expect(parts).not.toContain('\\Seen'); // PEEK
      // A non-peek fetch sets \Seen and says so.
      expect(await c.command('e', 'FETCH 1 BODY[TEXT]<0.8>')).toContain('FLAGS (\\Seen)');
      expect(await c.command('f', 'UID SEARCH SEEN CC "mihăi" SINCE 1-Jan-2020')).toContain('* SEARCH 1\r\n');
      expect(await c.command('g', 'SEARCH OR UNSEEN FLAGGED')).toContain('* SEARCH\r\n');
    } finally {
      c.close();
    }
    // imapflow reads the same structure.
    const f = imapClient(user);
    await f.connect();
    try {
      await f.mailboxOpen('INBOX');
      const m = await f.fetchOne('1', { bodyStructure: true, envelope: true });
      expect(m && m.bodyStructure?.childNodes?.map((n) => n.type)).toEqual([
        'multipart/alternative',
        'message/rfc822',
        'application/pdf',
      ]);
      expect(m && m.envelope?.cc?.[0]?.name).toBe('Mihăi');
    } finally {
      await f.logout();
    }
  });

  it('manages mailboxes over a raw connection: names in modified UTF-7, RENAME, DELETE, COPY, read-only, IDLE', async () => {
    const user = `mgmt-${randomBytes(4).toString('hex')}@reclamatii.local`;
    const c = await RawImap.open();
    try {
      c.write('a AUTHENTICATE PLAIN\r\n');
      expect(await c.until((b) => b.includes('\r\n'))).toBe('+ \r\n');
      c.write(`${Buffer.from(`\0${user}\0x`).toString('base64')}\r\n`);
      expect(await c.until((b) => b.includes('a '))).toMatch(/^a OK /m);
      expect(await c.command('b', 'CREATE "Arhiv&AQM-/2026"')).toMatch(/^b OK/m);
      const all = await c.command('c', 'LIST "" "*"');
      expect(all).toContain('* LIST (\\HasNoChildren) "/" "INBOX"\r\n');
      expect(all).toContain('* LIST (\\HasChildren) "/" "Arhiv&AQM-"\r\n');
      expect(all).toContain('* LIST (\\HasNoChildren) "/" "Arhiv&AQM-/2026"\r\n');
      expect(await c.command('d', 'LIST "" "%"')).not.toContain('2026');
      expect(await c.command('e', 'CREATE "Arhiv&AQM-/2026"')).toMatch(/^e NO \[ALREADYEXISTS\]/m);
      expect(await c.command('f', 'CREATE inbox')).toMatch(/^f NO \[ALREADYEXISTS\]/m);
      c.write('g APPEND Nowhere {3}\r\n');
      expect(await c.until((b) => b.startsWith('+'))).toMatch(/^\+ /);
      c.write('abc\r\n');
      expect(await c.until((b) => b.includes('g '))).toMatch(/^g NO \[TRYCREATE\]/m);
      const raw = rfc822({ Subject: 'dated' }, 'body');
      c.write(`h APPEND inbox (\\Seen $Later) "02-Jan-2026 10:00:00 +0200" {${raw.length}+}\r\n${raw}\r\n`);
      expect(await c.until((b) => b.includes('h '))).toMatch(/^h OK \[APPENDUID \d+ 1\]/m);
      expect(await c.command('i', 'RENAME "Arhiv&AQM-" Vechi')).toMatch(/^i OK/m);
      const renamed = await c.command('j', 'LIST "" V*');
      expect(renamed).toContain('"Vechi"');
      expect(renamed).toContain('"Vechi/2026"');
      expect(await c.command('k', 'STATUS Vechi/2026 (MESSAGES UIDNEXT)')).toContain(
        '* STATUS "Vechi/2026" (MESSAGES 0 UIDNEXT 1)',
      );
      expect(await c.command('l', 'SELECT INBOX')).toMatch(/^l OK \[READ-WRITE\]/m);
      expect(await c.command('m', 'COPY 1 Vechi/2026')).toMatch(/^m OK \[COPYUID \d+ 1 1\]/m);
      expect(await c.command('n', 'EXAMINE Vechi/2026')).toMatch(/^n OK \[READ-ONLY\]/m);
      expect(await c.command('o', 'STORE 1 +FLAGS (\\Deleted)')).toMatch(/^o NO \[READ-ONLY\]/m);
      expect(await c.command('p', 'FETCH 1 (FLAGS INTERNALDATE)')).toContain(
        '* 1 FETCH (FLAGS (\\Seen $Later) INTERNALDATE "02-Jan-2026 08:00:00 +0000")',
      );
      expect(await c.command('q', 'SELECT Vechi/2026')).toMatch(/^q OK/m);
      expect(await c.command('r', 'STORE 1 +FLAGS.SILENT (\\Deleted)')).toMatch(/^r OK/); // nothing untagged
      expect(await c.command('s', 'UID EXPUNGE 1')).toMatch(/^\* 1 EXPUNGE\r\ns OK/);
      expect(await c.command('t', 'UNSELECT')).toMatch(/^t OK/m);
      expect(await c.command('u', 'DELETE Vechi')).toMatch(/^u OK/m);
      expect(await c.command('v', 'LIST "" *')).toContain('* LIST (\\Noselect \\HasChildren) "/" "Vechi"');
      expect(await c.command('w', 'DELETE INBOX')).toMatch(/^w NO/m);
      expect(await c.command('x', 'SUBSCRIBE Vechi/2026')).toMatch(/^x OK/m);
      expect(await c.command('y', 'LSUB "" *')).toContain('* LSUB (\\HasNoChildren) "/" "Vechi/2026"');
      expect(await c.command('z', 'SELECT INBOX')).toContain('* 1 EXISTS');
      c.write('idle IDLE\r\n');
      expect(await c.until((b) => b.includes('\r\n'))).toBe('+ idling\r\n');
      await sendRaw(user, rfc822({ Subject: 'during idle' }, 'x'));
      expect(await c.until((b) => b.includes('EXISTS'))).toBe('* 2 EXISTS\r\n');
      c.write('DONE\r\n');
      expect(await c.until((b) => b.includes('\r\n'))).toMatch(/^idle OK/);
      expect(await c.command('end', 'LOGOUT')).toMatch(/^\* BYE/);
    } finally {
      c.close();
    }
  });

  it('answers malformed input with BAD and goes on serving', async () => {
    const user = `bad-${randomBytes(4).toString('hex')}@reclamatii.local`;
    const c = await RawImap.open();
    try {
      expect(await c.command('z', 'LOGIN {100000}')).toMatch(/^z BAD Literal too large .* before login/m);
      expect(await c.command('a', `LOGIN ${user} x`)).toMatch(/^a OK/m);
      expect(await c.command('b', 'FROB')).toMatch(/^b BAD Unknown command/m);
      expect(await c.command('c', 'SELECT "unterminated')).toMatch(/^c BAD Unterminated quoted string/m);
      expect(await c.command('d', 'LIST ((((( "*"')).toMatch(/^d BAD /m);
      expect(await c.command('e', 'SELECT INBOX')).toMatch(/^e OK/m);
      expect(await c.command('f', 'FETCH 0:x (FLAGS)')).toMatch(/^f BAD /m);
      expect(await c.command('g', 'FETCH 1 BODY[NOPE]')).toMatch(/^g BAD Unknown section/m);
      expect(await c.command('h', 'FETCH 1 BODY[]<1.x>')).toMatch(/^h BAD /m);
      expect(await c.command('i', 'STORE 1 +FLAGS (\\Bogus)')).toMatch(/^i BAD Invalid system flag/m);
      expect(await c.command('j', `NOOP ${'('.repeat(100)}`)).toMatch(/^j BAD /m);
      c.write(`k NOOP ${'x'.repeat(100_000)}\r\n`);
      expect(await c.until((b) => b.includes('\r\n'))).toMatch(/^k BAD Command line too long/);
      expect(await c.command('l', 'APPEND INBOX {99999999}')).toMatch(/^l BAD Literal too large/m);
      c.write(Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10]));
      expect(await c.until((b) => b.includes('\r\n'))).toMatch(/^\* BAD /);
      expect(await c.command('m', 'NOOP')).toMatch(/^m OK/m);
    } finally {
      c.close();
    }
    // A LITERAL+ too large cannot be skipped: the server says BYE and closes, and the next client is served.
    const d = await RawImap.open();
    d.write('n APPEND INBOX {99999999+}\r\n');
    expect(await d.until((b) => b.includes('\r\n'))).toMatch(/^\* BYE Literal too large/);
    d.close();
    await appendRaw(user, rfc822({ Subject: 'still here' }, 'x'));
    expect(await folderContents(user, 'INBOX')).toHaveLength(1);
  });

  it('accepts a 25 MB message over SMTP', async () => {
    const user = `big-${randomBytes(4).toString('hex')}@reclamatii.local`;
    const lines = randomBytes(19 * 1024 * 1024)
      .toString('base64')
      .match(/.{1,76}/g)!;
    const raw = Buffer.from(
      `Subject: big\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${lines.join('\r\n')}\r\n`,
    );
    expect(raw.length).toBeGreaterThan(25 * 1024 * 1024);
    await sendRaw(user, raw, 'big@example.test');
    const [stored] = await folderContents(user, 'INBOX');
    const prefix = `Return-Path: <big@example.test>\r\nDelivered-To: ${user}\r\n`;
    expect(stored!.length).toBe(prefix.length + raw.length);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(stored!.subarray(prefix.length))).toBe(sha(raw));
  }, 60_000);

  it('keeps mail, flags and UIDs on disk: across a restart and a kill -9 right after SMTP said 250', async () => {
    const dir = path.join(inject('testDataDir'), 'mail', `restart-${randomBytes(4).toString('hex')}`);
    const [smtpPort, imapPort] = [await freePort(), await freePort()];
    const logFile = path.join(inject('testDataDir'), 'logs', `mail-restart-${smtpPort}.log`);
    const start = () => startMailServer({ smtpPort, imapPort, mailDir: dir, log, logFile });
    const user = 'Persist@Reclamatii.Local';
    let m = await start();
    let uidValidity: bigint;
    try {
      const c = clientOf(m, user);
      await c.connect();
      await c.append('INBOX', rfc822({ Subject: 'appended' }, 'a'), ['\\Flagged']);
      await c.mailboxCreate('Arhivă/2026');
      await c.append('Arhivă/2026', rfc822({ Subject: 'archived' }, 'b'));
      const box = await c.mailboxOpen('INBOX');
      uidValidity = box.uidValidity;
      await c.messageFlagsAdd('1', ['\\Seen', '$Important'], { uid: true });
      await c.logout();
      const transport = nodemailer.createTransport(m.smtpUrl);
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          transport.sendMail({
            envelope: { from: 'x@example.test', to: ['persist@reclamatii.local'] },
            raw: rfc822({ Subject: `smtp ${i}` }, `m${i}\r\n\r\n`),
          }),
        ),
      );
      transport.close();
      process.kill(m.pid, 'SIGKILL'); // at once, as a crash would
    } finally {
      await m.stop();
    }
    for (const round of ['after kill -9', 'after a clean stop']) {
      m = await start();
      try {
        const c = clientOf(m, 'persist@reclamatii.local');
        await c.connect();
        const box = await c.mailboxOpen('INBOX');
        expect(box.uidValidity, round).toBe(uidValidity!);
        expect(box.exists, round).toBe(11);
        expect(box.uidNext, round).toBe(12);
        const got: Array<[number, string[], string]> = [];
        for await (const msg of c.fetch('1:*', { uid: true, flags: true, envelope: true }))
          got.push([msg.uid, [...(msg.flags ?? [])].sort(), msg.envelope?.subject ?? '']);
        expect(got[0], round).toEqual([1, ['$Important', '\\Flagged', '\\Seen'], 'appended']);
        expect(
          got
            .slice(1)
            .map((g) => g[2])
            .sort(),
          round,
        ).toEqual(Array.from({ length: 10 }, (_, i) => `smtp ${i}`).sort());
        expect((await c.list()).map((f) => f.path).sort(), round).toEqual(['Arhivă', 'Arhivă/2026', 'INBOX']);
        expect(await c.status('Arhivă/2026', { messages: true }), round).toMatchObject({ messages: 1 });
        await c.logout();
      } finally {
        await m.stop();
      }
    }
  }, 60_000);

  it('the intake picks a message up by IDLE push, long before its re-scan would', async () => {
    const addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
    const intake = await runIntake({ db: t.db, engine: t.engine, secret: 's' }, [t.demoTenantId], {
      pollIntervalMs: 120_000,
    });
    try {
      // A first message is taken by the start's own scan or by IDLE; once it is processed the watcher has
      // scanned its inbox and waits in IDLE (the server reports what arrived before IDLE at its start), so the
      // second can only arrive by push: the re-scan is two minutes away.
      await sendRaw(
        addr.demo,
        rfc822({ From: 'push@example.test', Subject: 'Push 1', 'Message-ID': messageId() }, 'x'),
      );
      await intake.waitForOutcomes(1, 20_000);
      const sent = Date.now();
      await sendRaw(
        addr.demo,
        rfc822({ From: 'push@example.test', Subject: 'Push 2', 'Message-ID': messageId() }, 'x'),
      );
      const o = (await intake.waitForOutcomes(2, 20_000))[1];
      expect(o?.status).toBe('registered');
      expect(Date.now() - sent).toBeLessThan(10_000);
    } finally {
      await intake.stop();
    }
  });

  it('reads a tenant mailbox from its settings in the database, the password stored encrypted', async () => {
    const secret = randomBytes(16).toString('hex');
    const mailbox = `acme-box-${randomBytes(4).toString('hex')}@reclamatii.local`;
    const password = 'parola-cutiei-ACME';
    await saveMailAccount(t.db, secret, t.acmeTenantId, {
      host: inject('imapHost'),
      port: inject('imapPort'),
      secure: false,
      username: mailbox,
      password,
      processedFolder: 'Preluate',
    });
    const [row] = await t.db.select().from(mailAccounts).where(eq(mailAccounts.tenantId, t.acmeTenantId));
    expect(row!.passwordEnc).not.toContain(password);
    expect(decryptSecret(secret, row!.passwordEnc)).toBe(password);
    expect(() => decryptSecret('another-secret', row!.passwordEnc)).toThrow();

    const intake = await runIntake({ db: t.db, engine: t.engine, secret }, [t.acmeTenantId]);
    try {
      await appendRaw(
        mailbox,
        rfc822(
          { From: 'tudor.lazar@mail.test', Subject: 'Gaz', 'Message-ID': messageId() },
          'Cod loc de consum DGN0000002.',
        ),
      );
      const [o] = await intake.waitForOutcomes(1);
      expect(o?.status).toBe('registered');
      if (o?.status !== 'registered') return;
      const [c] = await t.db.select().from(cases).where(eq(cases.id, o.caseId));
      expect(c!.tenantId).toBe(t.acmeTenantId);
      expect(c!.number).toMatch(/^ACME-/);
      // The outcome is reported before the watcher moves the message: wait for the move.
      await waitFor(async () => (await folderContents(mailbox, 'Preluate')).length > 0, {
        timeoutMs: 5_000,
        stepMs: 50,
      });
      expect(await folderContents(mailbox, 'Preluate')).toHaveLength(1);
    } finally {
      await intake.stop();
    }
  });
});
