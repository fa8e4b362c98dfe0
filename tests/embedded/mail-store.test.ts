import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../server/embedded/engine-process.ts';
import { MailStore } from '../../server/embedded/mail-server/mail-store.ts';

/** The mail server's disk store on its own (real files): what a restart reads back after each kind of write. */
const log = { info: () => {}, warn: () => {} };
const root = () => path.join(REPO_ROOT, '.data', 'test', 'mail-store', randomBytes(4).toString('hex'));
const msg = (s: string) => Buffer.from(`Subject: ${s}\r\n\r\n${s}\r\n\r\n`);

describe('mail store on disk', () => {
  it('reads back messages, flags, expunges, UIDNEXT and UIDVALIDITY after a restart', async () => {
    const dir = root();
    const a = new MailStore(dir, log);
    const inbox = await (await a.user('Ana@Test.Local')).inbox();
    for (const s of ['one', 'two', 'three']) await inbox.append(msg(s), [], Date.UTC(2026, 0, 2));
    await inbox.setFlags([1, 3], 'add', ['\\Seen', '$Urgent'], null);
    await inbox.expunge([3]);
    const other = await (await a.user('ana@test.local')).create('Arhivă/2026');
    await other.moveFrom(inbox, [2]);
    await a.close();

    const b = new MailStore(dir, log);
    const user = await b.user('ANA@test.local');
    const back = user.get('inbox')!;
    expect(back.uidValidity).toBe(inbox.uidValidity);
    expect(back.uidNext).toBe(4); // 3 was expunged, never handed out again
    expect(back.messages.map((m) => [m.uid, [...m.flags].sort(), m.internalDate])).toEqual([
      [1, ['$Urgent', '\\Seen'], Date.UTC(2026, 0, 2)],
    ]);
    expect(readFileSync(back.file(1)).equals(msg('one'))).toBe(true);
    const arch = user.get('Arhivă/2026')!;
    expect(arch.messages.map((m) => m.uid)).toEqual([1]);
    expect(readFileSync(arch.file(1)).equals(msg('two'))).toBe(true);
    expect(existsSync(back.file(2)) || existsSync(back.file(3))).toBe(false);
    await b.close();
  });

  it('compacts a journal that is mostly history, and keeps what it says', async () => {
    const dir = root();
    const a = new MailStore(dir, log);
    const inbox = await (await a.user('c@test.local')).inbox();
    await inbox.append(msg('keep'), [], Date.now());
    await inbox.append(msg('last'), [], Date.now());
    await inbox.expunge([2]);
    for (let i = 0; i < 2100; i++) await inbox.setFlags([1], i % 2 ? 'remove' : 'add', ['\\Flagged'], null);
    await a.close();
    const lines = readFileSync(path.join(inbox.dir, 'journal.log'), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(200);
    const b = new MailStore(dir, log);
    const back = (await b.user('c@test.local')).get('INBOX')!;
    expect(back.uidNext).toBe(3);
    expect(back.messages.map((m) => [m.uid, [...m.flags]])).toEqual([[1, []]]);
    await b.close();
  });

  it('survives a torn last journal line and drops a message file that was never committed', async () => {
    const dir = root();
    const a = new MailStore(dir, log);
    const inbox = await (await a.user('t@test.local')).inbox();
    await inbox.append(msg('committed'), ['\\Seen'], Date.now());
    await a.close();
    appendFileSync(path.join(inbox.dir, 'journal.log'), '{"t":"A","u":2,"d":1'); // cut off mid-write
    writeFileSync(inbox.file(2), msg('never acknowledged'));
    const b = new MailStore(dir, log);
    const back = (await b.user('t@test.local')).get('INBOX')!;
    expect(back.messages.map((m) => m.uid)).toEqual([1]);
    expect(existsSync(back.file(2))).toBe(false);
    expect(await back.append(msg('after'), [], Date.now())).toBe(2);
    await b.close();
    const c = new MailStore(dir, log);
    expect((await c.user('t@test.local')).get('INBOX')!.messages.map((m) => m.uid)).toEqual([1, 2]);
    await c.close();
  });
});
