/**
 * A referral from an authority (ANRE, ANPC), as staff register it by hand (call center, quarantine): the source,
 * the authority's name, its own reference number and, when it set one, its deadline. Checked before the API is
 * called so that the person gets the precise field and a Romanian message; the server checks again.
 */
export interface AuthorityFields {
  source: 'consumer' | 'authority';
  authorityName: string;
  authorityReference: string;
  authorityDueDate: string;
}

export const AUTHORITY_SUGGESTIONS = ['ANRE', 'ANPC'] as const;

export function authorityFields(form: FormData): AuthorityFields {
  const t = (n: string) => String(form.get(n) ?? '').trim();
  return {
    source: t('source') === 'authority' ? 'authority' : 'consumer',
    authorityName: t('authorityName'),
    authorityReference: t('authorityReference'),
    authorityDueDate: t('authorityDueDate'),
  };
}

/** The field and message of the first mistake, or null; `today` is the business date (YYYY-MM-DD). */
export function authorityProblem(
  a: AuthorityFields,
  today: string,
): { field: keyof AuthorityFields; message: string } | null {
  if (a.source !== 'authority') return null;
  if (a.authorityName.length < 2 || a.authorityName.length > 200)
    return {
      field: 'authorityName',
      message: 'Scrieți numele autorității care a transmis sesizarea (de exemplu ANRE sau ANPC).',
    };
  if (a.authorityReference.length < 1 || a.authorityReference.length > 100)
    return {
      field: 'authorityReference',
      message: 'Scrieți numărul de înregistrare al autorității (de pe adresa de transmitere).',
    };
  if (a.authorityDueDate) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(a.authorityDueDate) || Number.isNaN(Date.parse(a.authorityDueDate)))
      return { field: 'authorityDueDate', message: 'Termenul autorității: o dată calendaristică validă.' };
    if (a.authorityDueDate < today)
      return {
        field: 'authorityDueDate',
        message: 'Termenul autorității nu poate fi în trecut; verificați data de pe adresa autorității.',
      };
  }
  return null;
}

/** What POST /api/complaints takes for the source. */
export function authorityBody(a: AuthorityFields) {
  return a.source === 'authority'
    ? {
        source: 'authority' as const,
        authorityName: a.authorityName,
        authorityReference: a.authorityReference,
        ...(a.authorityDueDate ? { authorityDueDate: a.authorityDueDate } : {}),
      }
    : {};
}
