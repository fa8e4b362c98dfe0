/** Lower-case, without diacritics (ă â î ș ț and the old ş ţ), whitespace collapsed: what one-box search matches on. */
export function searchText(...parts: Array<string | null | undefined>): string {
  return parts
    .filter((p): p is string => !!p)
    .join(' ')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Escapes LIKE wildcards so user input matches literally. */
export function likePattern(q: string): string {
  return `%${searchText(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
