import { fileTypeFromBuffer } from 'file-type';
import type { StagedUpload } from '../documents/index.ts';
import { DomainError } from '../errors.ts';

/** Limits on what a consumer may attach to one submission. */
export const MAX_FILES = 5;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 25 * 1024 * 1024;

/** What we accept, decided by the bytes (magic numbers, ZIP contents for Office files), never by the name. */
export const ACCEPTED_TYPES: Record<string, string> = {
  'image/jpeg': 'JPG',
  'image/png': 'PNG',
  'image/webp': 'WEBP',
  'image/heic': 'HEIC',
  'image/heif': 'HEIF',
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.oasis.opendocument.text': 'ODT',
};

/** A file as it was read into the store (documents' stageUpload): its name as sent, its size, hash and head. */
export interface IncomingFile {
  fileName: string;
  upload: StagedUpload;
}

export interface CheckedFile {
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  upload: StagedUpload;
}

/** A file name safe to show and to offer back for download: no path, no control characters, bounded length. */
export function safeFileName(name: string, ext: string): string {
  // Only the tail can be the name (after the last path separator), and only 150 characters of it are kept.
  const base = (name.slice(-1000).split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    .replace(/\p{Cc}/gu, '')
    .replace(/["<>|*?:]/g, '')
    .trim()
    .slice(0, 150);
  return base || `fisier.${ext}`;
}

/**
 * Checks count, sizes and types (by content sniffing). Throws the first problem, naming the file, so the
 * consumer knows which one to replace.
 */
export async function checkFiles(files: IncomingFile[]): Promise<CheckedFile[]> {
  if (files.length > MAX_FILES) throw new DomainError('PORTAL_TOO_MANY_FILES');
  let total = 0;
  const out: CheckedFile[] = [];
  for (const f of files) {
    const shown = f.fileName.slice(0, 80);
    const { size } = f.upload;
    if (size > MAX_FILE_BYTES)
      throw new DomainError('PORTAL_FILE_TOO_LARGE', { size }, `Fișierul „${shown}” depășește 10 MB.`);
    if (size === 0) throw new DomainError('PORTAL_FILE_TYPE', {}, `Fișierul „${shown}” este gol.`);
    total += size;
    if (total > MAX_TOTAL_BYTES) throw new DomainError('PORTAL_FILES_TOO_LARGE');
    // The type is told from the first part (a megabyte): magic numbers sit at the start, and Office files name
    // their kind in the ZIP's first entries.
    const type = await fileTypeFromBuffer(f.upload.head);
    if (!type || !ACCEPTED_TYPES[type.mime])
      throw new DomainError(
        'PORTAL_FILE_TYPE',
        { detected: type?.mime ?? null },
        `Fișierul „${shown}” nu este de un tip acceptat. Sunt acceptate fotografii (JPG, PNG, WEBP, HEIC), PDF, DOCX, XLSX și ODT.`,
      );
    out.push({
      fileName: safeFileName(f.fileName, type.ext),
      contentType: type.mime,
      size,
      sha256: f.upload.sha256,
      upload: f.upload,
    });
  }
  return out;
}
