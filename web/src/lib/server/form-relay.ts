import { randomBytes } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Busboy } from '@fastify/busboy';

/**
 * A page's multipart form passed on to the API while the browser is still sending it (issue 13 item 10): text
 * fields are kept (to show the form again after a refusal) and, like the files, written to a new multipart body for
 * the API as they arrive. A file is never held whole here: its bytes go through as they come, at the pace the API
 * reads them (the API stores them as they stream and stops reading at its limits, which stops the reading here too).
 */
export interface RelayedForm {
  /** The API's request body, produced while the browser's is read. */
  body: ReadableStream<Uint8Array>;
  contentType: string;
  /** The text fields read so far (all of them once the API has answered a whole form). */
  fields: Record<string, string>;
  /** Whether a file with bytes was among what was read. */
  hadFiles(): boolean;
  /**
   * Stops passing the browser's body on (the API refused it); the rest is read and dropped. Resolves when the body
   * is read: null, or the status of what cut it (413: past the page's body limit).
   */
  stop(): Promise<number | null>;
}

export class NotAFormError extends Error {}

/** A header parameter value in quotes, as browsers write them (quote, CR and LF escaped). */
const quoted = (v: string) => `"${v.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}"`;

/**
 * Relays the browser's form. `fieldFor` names what a text field becomes for the API (null: left out);
 * files are passed on under the field `files`.
 */
export function relayForm(
  request: Request,
  fieldFor: (name: string, value: string) => string | null = (_, v) => v,
): RelayedForm {
  const type = request.headers.get('content-type') ?? '';
  if (!request.body || !type.toLowerCase().startsWith('multipart/form-data')) throw new NotAFormError();
  let parser: InstanceType<typeof Busboy>;
  try {
    parser = new Busboy({ headers: { 'content-type': type }, defCharset: 'utf8' });
  } catch {
    throw new NotAFormError();
  }
  const boundary = `relay-${randomBytes(16).toString('hex')}`;
  const out = new PassThrough();
  const fields: Record<string, string> = {};
  let files = false;
  const input = Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>);

  // Parts are written one after the other: a file's bytes may still be arriving when the parser has already
  // announced the next part.
  let chain = Promise.resolve();
  const then = (step: () => Promise<void> | void) => {
    chain = chain.then(step).catch((err: Error) => void out.destroy(err));
  };
  const write = (data: string | Buffer) =>
    out.write(data) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve));

  parser.on('field', (name: string, value: string) => {
    fields[name] = value;
    const v = fieldFor(name, value);
    if (v !== null)
      then(() =>
        write(`--${boundary}\r\nContent-Disposition: form-data; name=${quoted(name)}\r\n\r\n${v}\r\n`),
      );
  });
  parser.on('file', (name: string, file: Readable, fileName: string, _encoding: string, mime: string) => {
    if (name !== 'files') {
      file.resume();
      return;
    }
    file.pause();
    then(async () => {
      await write(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename=${quoted(fileName ?? '')}\r\n` +
          `Content-Type: ${mime || 'application/octet-stream'}\r\n\r\n`,
      );
      // The API reads at its own pace: each chunk waits for it before more of the browser's body is read.
      for await (const chunk of file as AsyncIterable<Buffer>) {
        if (chunk.length) files = true;
        await write(chunk);
      }
      await write('\r\n');
    });
  });
  parser.on('finish', () => then(() => void out.end(`--${boundary}--\r\n`)));
  parser.on('error', (err: Error) => out.destroy(err));
  // How the browser's body ended: read to its end (null), or cut by an error with its status (adapter-node's
  // BODY_SIZE_LIMIT is a 413).
  const ended = new Promise<number | null>((resolve) => {
    input.on('end', () => resolve(null));
    input.on('error', (err: Error & { status?: number }) => {
      out.destroy(err);
      resolve(err.status ?? 400);
    });
  });
  input.pipe(parser);

  return {
    body: Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>,
    contentType: `multipart/form-data; boundary=${boundary}`,
    fields,
    hadFiles: () => files,
    stop() {
      // The rest of the browser's body is read and dropped (adapter-node's BODY_SIZE_LIMIT still bounds it): a
      // browser that is still sending shows the answer only once its request is taken.
      input.unpipe(parser);
      input.on('data', () => undefined);
      input.resume();
      out.destroy();
      return ended;
    },
  };
}
