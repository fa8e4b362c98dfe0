/** The portal's multipart forms (text fields and files, sizes enforced while the body streams) and file answers. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../../errors.ts';
import { checkFiles, MAX_FILE_BYTES, MAX_TOTAL_BYTES, type IncomingFile } from '../../../portal/index.ts';

/** The most of a form's body we read: the files' total plus room for the text fields and the multipart framing. */
const MAX_FORM_BYTES = MAX_TOTAL_BYTES + 2 * 1024 * 1024;

/**
 * Reads a multipart form: text fields and files. Sizes are enforced while the body streams: a declared length past
 * the limit is refused before any byte is read, and the bytes are counted as they arrive, so an oversized upload
 * is refused (413) at the first byte past a limit and never held whole (issue 13 item 10).
 */
export async function readForm(req: FastifyRequest) {
  if (!req.isMultipart()) throw new DomainError('PORTAL_MULTIPART_REQUIRED');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_FORM_BYTES) throw new DomainError('PORTAL_FILES_TOO_LARGE');
  const fields: Record<string, string> = {};
  const files: IncomingFile[] = [];
  let total = 0;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of part.file as AsyncIterable<Buffer>) {
          size += chunk.length;
          total += chunk.length;
          if (size > MAX_FILE_BYTES) throw new DomainError('PORTAL_FILE_TOO_LARGE');
          if (total > MAX_TOTAL_BYTES) throw new DomainError('PORTAL_FILES_TOO_LARGE');
          chunks.push(chunk);
        }
        // busboy stops a file at its limit (one byte past ours, so the count above sees it first) and marks it
        // truncated; past it busboy would read the rest of the file only to throw it away.
        if (part.file.truncated) throw new DomainError('PORTAL_FILE_TOO_LARGE');
        // A file input left empty still sends a part without a name and without bytes.
        if (!part.filename && size === 0) continue;
        files.push({ fileName: part.filename || 'fisier', content: Buffer.concat(chunks, size) });
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw new DomainError('PORTAL_FILE_TOO_LARGE');
    if (code === 'FST_FILES_LIMIT') throw new DomainError('PORTAL_TOO_MANY_FILES');
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_REQ_FIELD_TOO_LARGE')
      throw new DomainError(
        'VALIDATION_FAILED',
        {},
        'Formularul are prea multe câmpuri sau un text prea lung.',
      );
    throw err;
  }
  return { fields, files: await checkFiles(files) };
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
