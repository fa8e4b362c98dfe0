import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseEvents,
  caseMessages,
  cases,
  inboundAttachments,
  inboundMessages,
  mailBlobs,
  mailQuarantine,
  places,
} from '../../server/db/schema/index.ts';
import { processInboundMail, type ProcessOutcome } from '../../server/intake/mail/process-message.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { holdsFor } from '../helpers/wait.ts';
import {
  appendRaw,
  folderContents,
  giveTenantsFreshAddresses,
  messageId,
  OUR_SENDER,
  rfc822,
  runIntake,
} from './intake-helpers.ts';

/** A .zip holding one file of `size` zero bytes, deflated (about 1000:1): a small message, a huge expansion. */
function zipBomb(size: number): Buffer {
  const data = Buffer.alloc(size);
  const deflated = zlib.deflateRawSync(data, { level: 9 });
  const crc = zlib.crc32(data);
  const name = Buffer.from('facturi.txt');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(deflated.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const cdOffset = local.length + name.length + deflated.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, name, deflated, central, name, end]);
}

function base64Lines(b: Buffer): string {
  return (
    b
      .toString('base64')
      .match(/.{1,76}/g)
      ?.join('\r\n') ?? ''
  );
}

/** Issue 3 point 6: bad and hostile input. */
describe('bad and hostile e-mail input', () => {
  let t: TestContext;
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t?.close());

  const deps = () => ({
    db: t.db,
    engine: t.engine,
    secret: 's',
    log: silentLog,
    ownAddresses: [OUR_SENDER],
  });
  const demo = () => ({ id: t.demoTenantId, code: 'DEMO', intakeEmail: 'demo@reclamatii.local' });
  const take = (raw: Buffer | string, tenant = demo()): Promise<ProcessOutcome> =>
    processInboundMail(deps(), tenant, {
      raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw),
      arrivedAt: new Date(),
    });
  const caseOf = async (o: ProcessOutcome) => {
    if (o.status !== 'registered') throw new Error(`not registered: ${JSON.stringify(o)}`);
    const [c] = await t.db.select().from(cases).where(eq(cases.id, o.caseId));
    return c!;
  };

  it('registers malformed MIME (no closing boundary, broken base64) with what can be read, bytes kept', async () => {
    const raw = rfc822(
      {
        From: 'malformat@example.test',
        Subject: 'Contor',
        'Message-ID': messageId(),
        'MIME-Version': '1.0',
        'Content-Type': 'multipart/mixed; boundary="zz"',
      },
      '--zz\nContent-Type: text/plain\n\nContorul arată alt index.\n--zz\nContent-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n\n!!!not*base64***\n',
    );
    const c = await caseOf(await take(raw));
    expect(c.body).toContain('Contorul arată alt index.');
    const [inbound] = await t.db.select().from(inboundMessages).where(eq(inboundMessages.caseId, c.id));
    expect(inbound!.rawSha256).toBe(sha(Buffer.from(raw)));
  });

  it('quarantines what is not an e-mail at all, with the reason, and keeps it in the Quarantine folder', async () => {
    const addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
    // This file's other tests quarantine into DEMO too: only the rows this message makes are compared.
    const demoQuarantine = () =>
      t.db.select().from(mailQuarantine).where(eq(mailQuarantine.tenantId, t.demoTenantId));
    const earlier = new Set((await demoQuarantine()).map((r) => r.id));
    const intake = await runIntake({ db: t.db, engine: t.engine, secret: 's' }, [t.demoTenantId]);
    try {
      const garbage = Buffer.concat([
        Buffer.from('\r\n'),
        randomBytes(2000).map((b) => (b === 10 || b === 13 ? 32 : b)),
      ]);
      await appendRaw(addr.demo, garbage);
      const [o] = await intake.waitForOutcomes(1);
      expect(o).toMatchObject({ status: 'quarantine', reason: 'no header lines: not an e-mail message' });
      const q = (await demoQuarantine()).filter((r) => !earlier.has(r.id));
      expect(q).toMatchObject([{ reason: 'no header lines: not an e-mail message', resolvedAt: null }]);
      const kept = await folderContents(addr.demo, 'Quarantine');
      expect(kept).toHaveLength(1);
      expect(sha(kept[0]!)).toBe(q[0]!.rawSha256);
      expect(await folderContents(addr.demo, 'INBOX')).toHaveLength(0);
      const [blob] = await t.db.select().from(mailBlobs).where(eq(mailBlobs.sha256, q[0]!.rawSha256!));
      expect(blob!.size).toBe(kept[0]!.length);
    } finally {
      await intake.stop();
    }
  });

  it('without From: uses the customer named by a code, else quarantines (nobody to answer)', async () => {
    const withPod = await take(
      rfc822({ Subject: 'Fără expeditor', 'Message-ID': messageId() }, 'Locul de consum RO006E530011223.'),
    );
    const c = await caseOf(withPod);
    expect(c.contactName).toBe('Cristina Popa');
    expect(c.contactEmail).toBe('cristina.popa@firma-exemplu.test');
    const nobody = await take(
      rfc822({ Subject: 'Anonim', 'Message-ID': messageId() }, 'Nu vă spun cine sunt.'),
    );
    expect(nobody).toEqual({ status: 'quarantine', reason: 'no sender address and no customer code' });
  });

  it('decodes Windows-1250 and ISO-8859-2 (ă â î ş ţ) and UTF-8 (ș ț), and identifies through them', async () => {
    const cp1250 = Buffer.concat([
      Buffer.from(
        'From: =?windows-1250?Q?=AAtefan_Munteanu?= <stefan.m@example.test>\r\nSubject: =?windows-1250?Q?Factur=E3_gre=BAit=E3?=\r\nMessage-ID: ' +
          messageId() +
          '\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=windows-1250\r\nContent-Transfer-Encoding: 8bit\r\n\r\n',
      ),
      // "Bună ziua, în ţară, înţeleg: ÎNCĂ" + " cod client 1000876543"
      Buffer.from([
        0x42, 0x75, 0x6e, 0xe3, 0x20, 0x7a, 0x69, 0x75, 0x61, 0x2c, 0x20, 0xee, 0x6e, 0x20, 0xfe, 0x61, 0x72,
        0xe3, 0x2c, 0x20, 0xee, 0x6e, 0xfe, 0x65, 0x6c, 0x65, 0x67, 0x3a, 0x20, 0xce, 0x4e, 0x43, 0xc3,
      ]),
      Buffer.from(' cod client 1000876543\r\n'),
    ]);
    const c1 = await caseOf(await take(cp1250));
    expect(c1.subject).toBe('Factură greşită');
    expect(c1.contactName).toBe('Ştefan Munteanu');
    expect(c1.body).toContain('Bună ziua, în ţară, înţeleg: ÎNCĂ');
    expect(c1.customerId).not.toBeNull();

    const iso = rfc822(
      {
        From: 'gabriela@example.test',
        Subject:
          '=?iso-8859-2?B?' +
          Buffer.from([0xba, 0x69, 0x20, 0xfe, 0x61, 0x72, 0xe3]).toString('base64') +
          '?=',
        'Message-ID': messageId(),
        'MIME-Version': '1.0',
        'Content-Type': 'text/plain; charset=iso-8859-2',
        'Content-Transfer-Encoding': 'quoted-printable',
      },
      'Str. S=E3r=E3rie nr. 54, Ia=BAi: =EEntrerupere de curent =BAi =E2n =FEar=E3.',
    );
    const c2 = await caseOf(await take(iso));
    expect(c2.subject).toBe('şi ţară');
    expect(c2.body).toBe('Str. Sărărie nr. 54, Iaşi: întrerupere de curent şi ân ţară.');

    const utf8 = rfc822(
      {
        From: 'x@example.test',
        Subject: '=?utf-8?B?' + Buffer.from('Înștiințare țară').toString('base64') + '?=',
        'Message-ID': messageId(),
        'Content-Type': 'text/plain; charset=utf-8',
      },
      'Înștiințare: în țară și în oraș.',
    );
    const c3 = await caseOf(await take(utf8));
    expect(c3.subject).toBe('Înștiințare țară');
    expect(c3.body).toBe('Înștiințare: în țară și în oraș.');
  });

  it('takes a 30 MB attachment through IMAP, stored byte for byte', async () => {
    const addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
    const big = randomBytes(30 * 1024 * 1024);
    const raw = rfc822(
      {
        From: 'mare@example.test',
        Subject: 'Facturi scanate',
        'Message-ID': messageId(),
        'MIME-Version': '1.0',
        'Content-Type': 'multipart/mixed; boundary="big"',
      },
      `--big\nContent-Type: text/plain\n\nAtașez facturile.\n--big\nContent-Type: application/pdf\nContent-Disposition: attachment; filename="facturi.pdf"\nContent-Transfer-Encoding: base64\n\n${base64Lines(big)}\n--big--\n`,
    );
    const intake = await runIntake({ db: t.db, engine: t.engine, secret: 's' }, [t.demoTenantId]);
    try {
      await appendRaw(addr.demo, raw);
      const [o] = await intake.waitForOutcomes(1, 120_000);
      expect(o?.status).toBe('registered');
      if (o?.status !== 'registered') return;
      const [att] = await t.db
        .select()
        .from(inboundAttachments)
        .where(eq(inboundAttachments.inboundMessageId, o.inboundId));
      expect(att).toMatchObject({ filename: 'facturi.pdf', size: big.length, sha256: sha(big) });
      const [blob] = await t.db
        .select({ size: mailBlobs.size })
        .from(mailBlobs)
        .where(and(eq(mailBlobs.tenantId, t.demoTenantId), eq(mailBlobs.sha256, sha(big))));
      expect(blob?.size).toBe(big.length);
    } finally {
      await intake.stop();
    }
  }, 180_000);

  it('copes with thousands of recipients', async () => {
    const to = Array.from({ length: 5000 }, (_, i) => `destinatar${i}@example.test`).join(', ');
    const started = Date.now();
    const c = await caseOf(
      await take(
        rfc822(
          { From: 'spam-ish@example.test', To: to, Cc: to, Subject: 'Tarife', 'Message-ID': messageId() },
          'Prețurile au crescut.',
        ),
      ),
    );
    expect(c.category).toBe('oferte_preturi_tarife');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('keeps HTML for display without scripts or remote images, and never fetches them', async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits++;
      res.end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const html = `<html><head><link rel="stylesheet" href="${base}/css"><style>body{background:url(${base}/bg)}</style></head><body>
        <script>fetch('${base}/js')</script>
        <p onclick="alert(1)">Factura <b>greșită</b></p>
        <img src="${base}/pixel.png" width="1" height="1"><img src="cid:semnatura@x" alt="semnătura">
        <iframe src="${base}/frame"></iframe><a href="javascript:alert(1)">click</a> <a href="https://anre.ro">ANRE</a>
        <img src="x" onerror="fetch('${base}/onerror')"></body></html>`;
      const c = await caseOf(
        await take(
          rfc822(
            {
              From: 'html@example.test',
              Subject: 'HTML',
              'Message-ID': messageId(),
              'MIME-Version': '1.0',
              'Content-Type': 'text/html; charset=utf-8',
            },
            html,
          ),
        ),
      );
      const [inbound] = await t.db.select().from(inboundMessages).where(eq(inboundMessages.caseId, c.id));
      const safe = inbound!.safeHtml!;
      expect(safe).toContain('Factura <b>greșită</b>');
      expect(safe).toContain('src="cid:semnatura@x"');
      expect(safe).toContain('href="https://anre.ro"');
      for (const bad of ['<script', 'onclick', 'onerror', '<iframe', 'javascript:', '<style', '<link', base])
        expect(safe, bad).not.toContain(bad);
      expect(c.body).toContain('Factura greșită');
      expect(c.body).not.toContain('fetch(');
      // Nothing may reach the server, not even late: a fetch would have started while the message was read.
      await holdsFor(() => hits === 0, 300, { what: 'no request to the remote server' });
      expect(hits).toBe(0);
    } finally {
      server.close();
    }
  });

  it('stores a zip bomb as it came, never unpacking it', async () => {
    const bomb = zipBomb(200 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const rssBefore = process.memoryUsage().rss;
    const o = await take(
      rfc822(
        {
          From: 'zip@example.test',
          Subject: 'Arhivă',
          'Message-ID': messageId(),
          'MIME-Version': '1.0',
          'Content-Type': 'multipart/mixed; boundary="z"',
        },
        `--z\nContent-Type: text/plain\n\nVedeți arhiva.\n--z\nContent-Type: application/zip\nContent-Disposition: attachment; filename="facturi.zip"\nContent-Transfer-Encoding: base64\n\n${base64Lines(bomb)}\n--z--\n`,
      ),
    );
    expect(o.status).toBe('registered');
    if (o.status !== 'registered') return;
    const atts = await t.db
      .select()
      .from(inboundAttachments)
      .where(eq(inboundAttachments.inboundMessageId, o.inboundId));
    expect(atts).toMatchObject([
      { filename: 'facturi.zip', contentType: 'application/zip', size: bomb.length, sha256: sha(bomb) },
    ]);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);
  });

  it('does not attach a forged reply to another tenant case, nor a stranger writing our number', async () => {
    // A case of ACME with an acknowledgement on record.
    const acmeCase = await caseOf(
      await take(
        rfc822(
          { From: 'tudor.lazar@mail.test', Subject: 'Gaz', 'Message-ID': messageId() },
          'Presiune mică.',
        ),
        {
          id: t.acmeTenantId,
          code: 'ACME',
          intakeEmail: 'acme@reclamatii.local',
        },
      ),
    );
    const ackId = `<acknowledgement.${acmeCase.id}@localhost>`;
    await t.db.insert(caseMessages).values({
      tenantId: t.acmeTenantId,
      caseId: acmeCase.id,
      direction: 'out',
      kind: 'acknowledgement',
      toAddress: 'tudor.lazar@mail.test',
      subject: 'Confirmare',
      messageId: ackId,
    });
    const forged = await take(
      rfc822(
        {
          From: 'tudor.lazar@mail.test',
          Subject: `Re: ${acmeCase.number}`,
          'In-Reply-To': ackId,
          References: ackId,
          'Message-ID': messageId(),
        },
        'Completare.',
      ),
    );
    expect(forged.status).toBe('registered');
    const c = await caseOf(forged);
    expect(c.tenantId).toBe(t.demoTenantId);
    const acmeEvents = await t.db.select().from(caseEvents).where(eq(caseEvents.caseId, acmeCase.id));
    expect(acmeEvents.map((e) => e.type)).not.toContain('consumer_added_information');

    // A DEMO number in the subject from someone who is not the case's consumer opens a new case.
    const stranger = await take(
      rfc822({ From: 'intrus@example.test', Subject: `Re: ${c.number}`, 'Message-ID': messageId() }, 'x'),
    );
    expect(stranger.status).toBe('registered');
    expect(await t.db.select().from(inboundMessages).where(eq(inboundMessages.kind, 'reply'))).toHaveLength(
      0,
    );
    expect(await t.db.select().from(places).where(eq(places.tenantId, t.acmeTenantId))).toHaveLength(2);
  });
});
