/** The intake's technical reasons, said in Romanian (unknown ones are shown as they are). */
export function reasonLabel(reason: string): string {
  if (reason === 'no sender address and no customer code')
    return 'Fără adresa expeditorului și fără un cod de client';
  if (reason === 'no tenant for its recipients') return 'Destinatar necunoscut';
  if (/^message larger than/.test(reason)) return 'Mesaj prea mare';
  if (/MIME|parse|unreadable/i.test(reason)) return `Mesaj ilizibil (${reason})`;
  return reason;
}

/** 1536 → "1,5 KB" */
export function formatSize(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${kb.toLocaleString('ro-RO', { maximumFractionDigits: 1 })} KB`;
  return `${(kb / 1024).toLocaleString('ro-RO', { maximumFractionDigits: 1 })} MB`;
}
