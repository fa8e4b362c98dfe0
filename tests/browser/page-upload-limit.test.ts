/**
 * Uploads through the pages are refused while they arrive, not after (issue 13 item 10): the portal's complaint
 * page takes at most 25 MB of files, and a larger body gets 413 from the page server before any page code reads it
 * (server/web-bridge.ts BODY_SIZE_LIMIT), whether it says its length or comes chunked.
 */
import { describe, expect, it } from 'vitest';
import { browserSuite } from '../helpers/browser.ts';

const MB = 1024 * 1024;

describe('page uploads are limited while they arrive', () => {
  const s = browserSuite();

  function multipart(bytes: number): { body: Uint8Array; type: string } {
    const boundary = 'limit-test-boundary';
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="poza.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
    );
    const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
    const body = new Uint8Array(head.length + bytes + tail.length);
    body.set(head, 0);
    body.set(tail, head.length + bytes);
    return { body, type: `multipart/form-data; boundary=${boundary}` };
  }

  it('refuses 28 MB announced by Content-Length with 413', async () => {
    const { body, type } = multipart(28 * MB);
    const res = await fetch(`${s.base}/portal/DEMO/complaints/new`, {
      method: 'POST',
      headers: { 'content-type': type, origin: s.base },
      body: body as unknown as BodyInit,
    });
    expect(res.status).toBe(413);
  });

  it('refuses 28 MB sent chunked, without a length, with 413', async () => {
    const { body, type } = multipart(28 * MB);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= body.length) return controller.close();
        const chunk = body.subarray(sent, sent + MB);
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${s.base}/portal/DEMO/complaints/new`, {
      method: 'POST',
      headers: { 'content-type': type, origin: s.base },
      body: stream,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    expect(res.status).toBe(413);
  });
});
