import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureEngineJar,
  REPO_ROOT,
  startEngine,
  type EngineHandle,
} from '../../server/embedded/engine-process.ts';
import {
  ensureMailServer,
  startMailServer,
  type MailServerHandle,
} from '../../server/embedded/mail-process.ts';

/** The PostgreSQL server the engine gets its fresh database on (the CI/dev server, not the embedded one). */
const PG_URL = process.env.LAUNCHER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = {
  info: (m: string) => process.env.DEBUG_TESTS && console.log(m),
  warn: (m: string) => console.warn(m),
};
const logDir = path.join(REPO_ROOT, '.data', 'test', 'logs');

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

describe('embedded launchers', () => {
  const dbName = `engine_launch_${randomBytes(4).toString('hex')}`;
  const restUser = 'node';
  const restPassword = randomBytes(12).toString('hex');
  const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
  let engine: EngineHandle | undefined;
  let mail: MailServerHandle | undefined;

  beforeAll(async () => {
    await Promise.all([ensureEngineJar({ log }), ensureMailServer({ log })]);
    await admin.unsafe(`create database ${dbName}`);
    const pg = new URL(PG_URL);
    const [enginePort, smtpPort, imapPort] = [await freePort(), await freePort(), await freePort()];
    [engine, mail] = await Promise.all([
      startEngine({
        jdbcUrl: `jdbc:postgresql://${pg.hostname}:${pg.port || '5432'}/${dbName}`,
        dbUser: decodeURIComponent(pg.username || 'postgres'),
        dbPassword: decodeURIComponent(pg.password),
        port: enginePort,
        restUser,
        restPassword,
        log,
        logFile: path.join(logDir, `engine-${enginePort}.log`),
      }),
      startMailServer({
        smtpPort,
        imapPort,
        log,
        logFile: path.join(logDir, `mail-${smtpPort}.log`),
        mailDir: path.join(logDir, '..', 'mail', `launcher-${imapPort}`),
      }),
    ]);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([engine?.stop(), mail?.stop()]);
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }, 60_000);

  it('serves the engine REST API only with the credential', async () => {
    const e = engine!;
    expect(e.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/engine-rest$/);
    const basic = `Basic ${Buffer.from(`${restUser}:${restPassword}`).toString('base64')}`;
    const ok = await fetch(`${e.url}/engine`, { headers: { authorization: basic } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual([{ name: 'default' }]);
    expect((await fetch(`${e.url}/engine`)).status).toBe(401);
    const wrong = `Basic ${Buffer.from(`${restUser}:nope`).toString('base64')}`;
    expect((await fetch(`${e.url}/process-definition`, { headers: { authorization: wrong } })).status).toBe(
      401,
    );
  });

  it('refuses to start a second engine on a port that is taken', async () => {
    const port = Number(new URL(engine!.url).port);
    await expect(
      startEngine({
        jdbcUrl: 'jdbc:postgresql://127.0.0.1:5432/none',
        dbUser: 'postgres',
        port,
        restUser,
        restPassword,
        log,
      }),
    ).rejects.toThrow(/already used by another program/);
  });

  it('round-trips a message through SMTP and IMAP', async () => {
    const m = mail!;
    const to = `reclamatii-${randomBytes(3).toString('hex')}@furnizor.local`;
    const transport = nodemailer.createTransport(m.smtpUrl);
    await transport.sendMail({
      from: 'client@example.ro',
      to,
      subject: 'Factură greșită',
      text: 'Indexul de pe factură nu e cel real.',
    });
    transport.close();

    const client = new ImapFlow({
      host: m.imapHost,
      port: m.imapPort,
      secure: false,
      auth: { user: to, pass: 'any' },
      logger: false,
    });
    await client.connect();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const subjects: string[] = [];
        for await (const msg of client.fetch('1:*', { envelope: true }))
          subjects.push(msg.envelope?.subject ?? '');
        expect(subjects).toEqual(['Factură greșită']);
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });

  it('refuses to start a second mail server on ports a local mail server already uses', async () => {
    const smtpPort = Number(new URL(mail!.smtpUrl).port);
    await expect(startMailServer({ smtpPort, imapPort: mail!.imapPort, log })).rejects.toThrow(
      /already used by a local mail server/,
    );
  });
});
