import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOnce } from '../../server/housekeeping/housekeeping.ts';
import { UPLOAD_PART_BYTES } from '../../server/documents/index.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { complaintForm, loginConsumer, submit } from './portal-helpers.ts';

const MB = 1024 * 1024;
const BOUNDARY = 'limite-upload';

interface Sent {
  status: number;
  body: { code?: string; message?: string };
  /** Body bytes the client had written when the answer arrived. */
  bytesSent: number;
}

/**
 * Posts a multipart form to the portal over a real socket, writing the body chunk by chunk (chunked, or with the
 * given Content-Length) and stopping as soon as the answer arrives: how far it got shows whether the server read
 * the whole body or refused it early.
 */
function postStreaming(
  port: number,
  authorization: string,
  parts: Array<{ name: string; fileName?: string; bytes: number }>,
  contentLength?: number,
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/portal/cases',
      headers: {
        authorization,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        ...(contentLength ? { 'content-length': String(contentLength) } : {}),
      },
    });
    req.on('response', (res) => {
      answered = true;
      const sentAtAnswer = bytesSent;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Sent['body'],
          bytesSent: sentAtAnswer,
        });
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const write = (b: Buffer) =>
      new Promise<void>((r) => {
        bytesSent += b.length;
        if (req.write(b)) r();
        else {
          // The server may stop reading once it has refused: the answer ends the wait as well as a drain.
          const done = () => {
            req.off('drain', done);
            req.off('response', done);
            r();
          };
          req.once('drain', done);
          req.once('response', done);
        }
      });
    void (async () => {
      const chunk = Buffer.alloc(256 * 1024, 0x41);
      for (const p of parts) {
        if (answered) return;
        const head = p.fileName
          ? `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.fileName}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`
          : `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n`;
        await write(Buffer.from(head));
        for (let left = p.bytes; left > 0 && !answered; left -= chunk.length)
          await write(left >= chunk.length ? chunk : chunk.subarray(0, left));
        if (!answered) await write(Buffer.from('\r\n'));
      }
      if (!answered) req.end(`--${BOUNDARY}--\r\n`);
    })().catch(reject);
  });
}

/** Parts of the demo tenant's uploads that no stored file refers to: a refused upload leaves none. */
async function strayParts(t: TestContext): Promise<number> {
  const [row] = await t.db.execute<{ n: number }>(sql`
    select count(*)::int as n from blob_upload_parts p where p.tenant_id = ${t.demoTenantId}
       and not exists (select 1 from mail_blobs b where b.tenant_id = p.tenant_id and b.upload_id = p.upload_id)`);
  return row!.n;
}

/** Issue 13 item 10: uploads are refused while they stream, with 413 and a Romanian message. */
describe('POST /api/portal/cases upload limits', () => {
  let t: TestContext;
  let port: number;
  let authorization: string;

  beforeAll(async () => {
    t = await createTestContext({ taskEvents: false });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
    authorization = (await loginConsumer(t)).authorization;
  });
  afterAll(async () => t?.close());

  it('refuses a declared body past the limit before reading any of it', async () => {
    const r = await postStreaming(
      port,
      authorization,
      [{ name: 'f', fileName: 'a.pdf', bytes: 100 * MB }],
      100 * MB,
    );
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({
      code: 'PORTAL_FILES_TOO_LARGE',
      message: 'Fișierele depășesc împreună 25 MB.',
    });
    // The answer came while the client was still at the start of its 100 MB (socket buffers hold a few MB).
    expect(r.bytesSent).toBeLessThan(20 * MB);
    expect(await strayParts(t)).toBe(0);
  });

  it('stops a 60 MB file at its 10 MB limit while it streams (no length declared)', async () => {
    const r = await postStreaming(port, authorization, [
      { name: 'description', bytes: 100 },
      { name: 'files', fileName: 'factura.pdf', bytes: 60 * MB },
    ]);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ code: 'PORTAL_FILE_TOO_LARGE', message: 'Un fișier depășește 10 MB.' });
    expect(r.bytesSent).toBeLessThan(30 * MB);
    // The 10 MB read before the refusal were written to the store part by part, and deleted with the refusal.
    expect(await strayParts(t)).toBe(0);
  });

  it('stops files that together pass 25 MB at the byte past the total, not after reading them all', async () => {
    const nine = { name: 'files', bytes: 9 * MB };
    const r = await postStreaming(port, authorization, [
      { ...nine, fileName: 'a.pdf' },
      { ...nine, fileName: 'b.pdf' },
      { ...nine, fileName: 'c.pdf' },
      { ...nine, fileName: 'd.pdf' },
      { ...nine, fileName: 'e.pdf' },
    ]);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({
      code: 'PORTAL_FILES_TOO_LARGE',
      message: 'Fișierele depășesc împreună 25 MB.',
    });
    // 45 MB offered; refused once 25 MB had arrived (plus what sat in socket buffers).
    expect(r.bytesSent).toBeLessThan(40 * MB);
    // Two whole files were stored before the third passed the total: all of it goes with the refusal.
    expect(await strayParts(t)).toBe(0);
  });
});

/** Issue 13 item 10: an accepted upload is written to the store part by part as it streams, never held whole. */
describe('POST /api/portal/cases streams files into the store', () => {
  let t: TestContext;
  let consumer: { authorization: string };

  beforeAll(async () => {
    t = await createTestContext({ taskEvents: false });
    consumer = await loginConsumer(t);
  });
  afterAll(async () => t?.close());

  /** A PDF of `size` bytes: its magic number, then random bytes (so two files never share a hash by chance). */
  const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(Math.round(size) - 9)]);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const form = (files: Buffer[], fields: Record<string, string> = {}) =>
    complaintForm(
      {
        category: 'facturare',
        subject: 'Factură contestată',
        body: 'Atașez factura și scanările, factura din noiembrie este greșită.',
        contactName: 'Ion Popescu',
        ...fields,
      },
      files.map((content, i) => ({ name: `scan-${i}.pdf`, content, type: 'application/pdf' })),
    );
  it('keeps a 3.5 MB scan in parts of a megabyte, and gives it back byte for byte', async () => {
    const scan = pdf(3.5 * MB);
    const r = await submit(t, consumer, form([scan]));
    expect(r.statusCode).toBe(201);
    const s = r.json<{ number: string; files: Array<{ id: number; sha256: string; size: number }> }>();
    expect(s.files).toMatchObject([{ sha256: sha(scan), size: scan.length }]);
    const parts = await t.db.execute<{ whole: boolean; size: number }>(sql`
      select b.content is not null as whole, length(p.content)::int as size
        from mail_blobs b join blob_upload_parts p on p.tenant_id = b.tenant_id and p.upload_id = b.upload_id
       where b.tenant_id = ${t.demoTenantId} and b.sha256 = ${sha(scan)} order by p.seq`);
    // What a request holds of a file at a time is one part.
    expect(parts.map((p) => [p.whole, p.size])).toEqual([
      [false, UPLOAD_PART_BYTES],
      [false, UPLOAD_PART_BYTES],
      [false, UPLOAD_PART_BYTES],
      [false, scan.length - 3 * UPLOAD_PART_BYTES],
    ]);
    const back = await t.app.inject({
      method: 'GET',
      url: `/api/portal/cases/${s.number}/files/${s.files[0]!.id}`,
      headers: consumer,
    });
    expect(back.statusCode).toBe(200);
    expect(sha(back.rawPayload)).toBe(sha(scan));
  });

  it('stores the same bytes once: a second upload of them leaves no parts behind', async () => {
    const scan = pdf(1.5 * MB);
    const other = pdf(0.5 * MB);
    let last: { number: string; files: Array<{ id: number }> } | undefined;
    for (let i = 0; i < 2; i++) {
      const r = await submit(t, consumer, form([scan, other]));
      expect(r.statusCode).toBe(201);
      last = r.json();
    }
    // Each file comes back as itself, not joined with the other files' parts.
    for (const [i, f] of [scan, other].entries()) {
      const back = await t.app.inject({
        method: 'GET',
        url: `/api/portal/cases/${last!.number}/files/${last!.files[i]!.id}`,
        headers: consumer,
      });
      expect(sha(back.rawPayload)).toBe(sha(f));
    }
    const [row] = await t.db.execute<{ blobs: number }>(
      sql`select count(*)::int as blobs from mail_blobs where tenant_id = ${t.demoTenantId} and sha256 = ${sha(scan)}`,
    );
    expect(row!.blobs).toBe(1);
    expect(await strayParts(t)).toBe(0);
  });

  it('deletes what it stored when the form is refused after its files arrived', async () => {
    const r = await submit(t, consumer, form([pdf(1.2 * MB)], { category: 'nu-exista' }));
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ message: 'Alegeți categoria reclamației.' });
    expect(await strayParts(t)).toBe(0);
  });

  it('keeps a stored file\u2019s parts unchangeable; housekeeping removes only parts a stopped process left', async () => {
    const scan = pdf(1.1 * MB);
    expect((await submit(t, consumer, form([scan]))).statusCode).toBe(201);
    const [{ upload_id: kept } = { upload_id: '' }] = await t.db.execute<{ upload_id: string }>(
      sql`select upload_id from mail_blobs where tenant_id = ${t.demoTenantId} and sha256 = ${sha(scan)}`,
    );
    // Not even the background role may change or delete the parts of a stored file.
    await expect(
      t.workersDb.execute(sql`delete from blob_upload_parts where upload_id = ${kept}`),
    ).rejects.toThrow();
    // A process that stopped mid-upload two days ago left a part no file refers to.
    await t.db.execute(sql`insert into blob_upload_parts (tenant_id, upload_id, seq, content, created_at)
      values (${t.demoTenantId}, gen_random_uuid(), 0, '\\x00', now() - interval '2 days')`);
    // The stored file's parts are as old: only being unreferenced makes a part removable.
    await t.db.execute(sql`alter table blob_upload_parts disable trigger blob_upload_parts_immutable`);
    await t.db.execute(
      sql`update blob_upload_parts set created_at = now() - interval '3 days' where upload_id = ${kept}`,
    );
    await t.db.execute(sql`alter table blob_upload_parts enable trigger blob_upload_parts_immutable`);
    const counts = await sweepOnce(t.workersDb, undefined);
    expect(counts?.abandonedUploadParts).toBe(1);
    const [left] = await t.db.execute<{ n: number }>(
      sql`select count(*)::int as n from blob_upload_parts where upload_id = ${kept}`,
    );
    expect(left!.n).toBe(2);
  });
});
