import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NotAFormError, relayForm } from '../../web/src/lib/server/form-relay.ts';
import { holdsFor } from '../helpers/wait.ts';

const MB = 1024 * 1024;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A browser's form post: the body and type a `fetch` with this FormData would send. */
async function browserPost(form: FormData) {
  const encoded = new Response(form);
  return new Request('http://localhost/portal/DEMO/complaints/new', {
    method: 'POST',
    body: await encoded.arrayBuffer(),
    headers: { 'content-type': encoded.headers.get('content-type')! },
  });
}

/** What the API would read from the relayed body. */
const asApiSees = (r: { body: ReadableStream<Uint8Array>; contentType: string }) =>
  new Response(r.body, { headers: { 'content-type': r.contentType } }).formData();

/**
 * The pages pass a form with files to the API while the browser sends it (issue 13 item 10): what the API reads is
 * the form the consumer sent (fields as the page maps them, files byte for byte, names with diacritics), and the
 * browser's body is read only as fast as the API reads.
 */
describe('a page form relayed to the API', () => {
  it('passes the fields the page keeps and every file byte for byte, names with diacritics included', async () => {
    const scan = randomBytes(2.5 * MB);
    const form = new FormData();
    form.append('category', 'facturare');
    form.append('subject', 'Factură greșită');
    form.append('placeId', 'contract');
    form.append('body', '  Indexul e „greșit”.\n ');
    form.append('files', new Blob([scan], { type: 'application/pdf' }), 'scanare factură ț.pdf');
    form.append('files', new Blob([]), '');
    const relayed = relayForm(await browserPost(form), (name, value) =>
      name === 'placeId' ? (value === 'contract' ? null : value) : name === 'body' ? value.trim() : value,
    );
    const api = await asApiSees(relayed);
    expect([...api.keys()]).toEqual(['category', 'subject', 'body', 'files', 'files']);
    expect(api.get('subject')).toBe('Factură greșită');
    expect(api.get('body')).toBe('Indexul e „greșit”.');
    const [file, empty] = api.getAll('files') as File[];
    expect(file!.name).toBe('scanare factură ț.pdf');
    expect(file!.type).toBe('application/pdf');
    expect(sha(new Uint8Array(await file!.arrayBuffer()))).toBe(sha(scan));
    expect(empty!.size).toBe(0);
    // Kept for showing the form again after a refusal, as the consumer typed them.
    expect(relayed.fields).toMatchObject({ category: 'facturare', placeId: 'contract' });
    expect(relayed.hadFiles()).toBe(true);
  });

  it('reads the browser’s body only as fast as the API reads the relay', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x41);
    let pulled = 0;
    const boundary = 'b0undary';
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="mare.pdf"\r\n` +
        'Content-Type: application/pdf\r\n\r\n',
    );
    // A 100 MB upload that is produced only when asked for.
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          const next = pulled === 0 ? head : chunk;
          pulled += next.length;
          controller.enqueue(next);
          if (pulled > 100 * MB) controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const request = new Request('http://localhost/x', {
      method: 'POST',
      body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      duplex: 'half',
    } as RequestInit);
    const relayed = relayForm(request);
    // The API reads 1 MB of the relay, then stops (as it does at a limit).
    const reader = relayed.body.getReader();
    let read = 0;
    while (read < MB) read += (await reader.read()).value!.length;
    const pulledWhenStopped = pulled;
    // Stream buffers hold a little; the 100 MB are not read ahead while the API does not read.
    await holdsFor(() => pulled - pulledWhenStopped < 2 * MB, 300, { what: 'no read-ahead' });
    expect(pulled).toBeLessThan(4 * MB);
    relayed.stop();
  });

  it('refuses what is not a multipart form', async () => {
    const json = new Request('http://localhost/x', {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(() => relayForm(json)).toThrow(NotAFormError);
  });
});
