import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { loginConsumer } from './portal-helpers.ts';

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
  });

  it('stops a 60 MB file at its 10 MB limit while it streams (no length declared)', async () => {
    const r = await postStreaming(port, authorization, [
      { name: 'description', bytes: 100 },
      { name: 'files', fileName: 'factura.pdf', bytes: 60 * MB },
    ]);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ code: 'PORTAL_FILE_TOO_LARGE', message: 'Un fișier depășește 10 MB.' });
    expect(r.bytesSent).toBeLessThan(30 * MB);
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
  });
});
