/** The portal's multipart forms (text fields, and files streamed into the store) and file answers. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../errors.ts';
import {
  checkFiles,
  MAX_FILE_BYTES,
  MAX_TOTAL_BYTES,
  type CheckedFile,
  type IncomingFile,
} from '../../../portal/index.ts';

/** The most of a form's body we read: the files' total plus room for the text fields and the multipart framing. */
const MAX_FORM_BYTES = MAX_TOTAL_BYTES + 2 * 1024 * 1024;

/** Where a form's files go while it is read: the portal service stores them as they stream. */
export interface FormUploads {
  receive(fileName: string, source: AsyncIterable<Uint8Array>, limit: number): Promise<IncomingFile>;
  discard(files: IncomingFile[]): Promise<void>;
}

export interface ReadForm {
  fields: Record<string, string>;
  files: CheckedFile[];
}

/**
 * Reads a multipart form (text fields and files) and hands it to `use`. Each file streams into the store as it
 * arrives (issue 13 item 10): a declared length past the limit is refused before any byte is read, the bytes are
 * counted as they come, and an upload is refused (413) at the first byte past a limit, the rest left unread; no
 * file is ever held whole.
 * When reading, checking or `use` fails, what was stored of the form's files is deleted.
 */
export async function withForm<T>(
  req: FastifyRequest,
  reply: FastifyReply,
  uploads: FormUploads,
  use: (form: ReadForm) => Promise<T>,
): Promise<T> {
  if (!req.isMultipart()) throw new DomainError('PORTAL_MULTIPART_REQUIRED');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_FORM_BYTES) throw new DomainError('PORTAL_FILES_TOO_LARGE');
  const fields: Record<string, string> = {};
  const files: IncomingFile[] = [];
  let total = 0;
  // Refused while the body still streams: read no more of it. Once a file's stream is gone the parser would
  // discard the rest at full speed while the refusal is being answered; after the answer the connection closes
  // instead of draining it.
  const stopReading = () => {
    req.raw.unpipe();
    req.raw.pause();
    void reply.header('connection', 'close');
  };
  try {
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const left = MAX_TOTAL_BYTES - total;
          const limit = Math.min(MAX_FILE_BYTES, left);
          const tooLarge = () =>
            new DomainError(limit < MAX_FILE_BYTES ? 'PORTAL_FILES_TOO_LARGE' : 'PORTAL_FILE_TOO_LARGE');
          // `capped` refuses at the first byte past the limit, before the store's own check of the same limit.
          const bytes = capped(part.file, limit, stopReading, tooLarge);
          const file = await uploads.receive(part.filename || 'fisier', bytes, limit);
          // busboy stops a file at its limit (one byte past ours, so the count above sees it first) and marks it
          // truncated; past it busboy would read the rest of the file only to throw it away.
          if (part.file.truncated) {
            files.push(file);
            throw new DomainError('PORTAL_FILE_TOO_LARGE');
          }
          // A file input left empty still sends a part without a name and without bytes (nothing was stored).
          if (!part.filename && file.upload.size === 0) continue;
          files.push(file);
          total += file.upload.size;
        } else if (typeof part.value === 'string') {
          fields[part.fieldname] = part.value;
        }
      }
    } catch (err) {
      stopReading();
      throw formError(err);
    }
    return await use({ fields, files: await checkFiles(files) });
  } catch (err) {
    await uploads.discard(files);
    throw err;
  }
}

/**
 * A file's bytes up to `limit`: at the first byte past it the request stops being read, before anything is
 * cleaned up, and the refusal is thrown to the store's reader (which deletes what it wrote).
 */
async function* capped(
  file: AsyncIterable<Buffer>,
  limit: number,
  stop: () => void,
  refusal: () => Error,
): AsyncGenerator<Buffer> {
  let size = 0;
  for await (const chunk of file) {
    size += chunk.length;
    if (size > limit) {
      stop();
      throw refusal();
    }
    yield chunk;
  }
}

/** busboy's limits (set where multipart is registered) as the errors the consumer reads. */
function formError(err: unknown): unknown {
  if (err instanceof DomainError) return err;
  const code = (err as { code?: string }).code;
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new DomainError('PORTAL_FILE_TOO_LARGE');
  if (code === 'FST_FILES_LIMIT') return new DomainError('PORTAL_TOO_MANY_FILES');
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_REQ_FIELD_TOO_LARGE')
    return new DomainError(
      'VALIDATION_FAILED',
      {},
      'Formularul are prea multe câmpuri sau un text prea lung.',
    );
  return err;
}

/** A text field, trimmed, with its limits; the messages name it in Romanian (`label`). */
export function text(
  fields: Record<string, string>,
  name: string,
  label: string,
  limits: { min?: number; max: number },
  required: boolean,
): string | undefined {
  const v = (fields[name] ?? '').replace(/\r\n/g, '\n').trim();
  if (!v) {
    if (required)
      throw new DomainError('VALIDATION_FAILED', { field: name }, `Câmpul „${label}” este obligatoriu.`);
    return undefined;
  }
  if (limits.min && v.length < limits.min)
    throw new DomainError(
      'VALIDATION_FAILED',
      { field: name },
      `Câmpul „${label}” trebuie să aibă cel puțin ${limits.min} caractere.`,
    );
  if (v.length > limits.max)
    throw new DomainError(
      'VALIDATION_FAILED',
      { field: name },
      `Câmpul „${label}” poate avea cel mult ${limits.max} de caractere.`,
    );
  return v;
}

/** The form of a place or customer id: anything else cannot be one of the consumer's. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A download: its own type, never sniffed, never cached, with its name in ASCII and in UTF-8. */
export function sendFile(reply: FastifyReply, f: { fileName: string; contentType: string; content: Buffer }) {
  const ascii = f.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .header('content-type', f.contentType)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(f.content);
}
