import type { ComplaintCategory } from './api/types';

/**
 * Romanian labels of the complaint categories, copied from CATEGORY_LABELS in server/deadlines/default-rules.ts
 * (the order is the one the call-center select shows). Keep the two in step until the API serves them.
 */
export const CATEGORY_LABELS: Record<ComplaintCategory, string> = {
  contractare: 'Contractarea energiei',
  facturare: 'Facturarea',
  oferte_preturi_tarife: 'Ofertarea de prețuri și tarife',
  continuitate_alimentare: 'Continuitatea în alimentare',
  calitate_energie: 'Calitatea energiei furnizate',
  grup_masurare: 'Funcționarea grupurilor de măsurare',
  schimbare_furnizor: 'Schimbarea furnizorului',
  informare_clienti: 'Informarea clienților finali',
  solutionare_plangeri: 'Modul de rezolvare a plângerilor anterioare',
  sesizare_autoritate: 'Sesizare transmisă de o autoritate (ANRE, ANPC)',
  cerere_gdpr: 'Cerere privind datele personale (GDPR)',
};

export function isCategory(value: unknown): value is ComplaintCategory {
  return typeof value === 'string' && Object.hasOwn(CATEGORY_LABELS, value);
}

/** The label of a category code; unknown codes are shown as they are. */
export function categoryLabel(code: string): string {
  return isCategory(code) ? CATEGORY_LABELS[code] : code;
}
