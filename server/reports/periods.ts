/**
 * Quarters and periods of the regulator report: suppliers report and publish their complaint figures per calendar
 * quarter (domain-research.md §1.9), and any other period can be computed the same way.
 */
import { addDays, type IsoDate } from '../deadlines/index.ts';
import { roDate } from '../mail/templates/render.ts';

const ROMAN = ['I', 'II', 'III', 'IV'] as const;

export interface Quarter {
  from: IsoDate;
  to: IsoDate;
  /** E.g. "Trimestrul I 2026". */
  label: string;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function quarter(year: number, q: 1 | 2 | 3 | 4): Quarter {
  const firstMonth = (q - 1) * 3 + 1;
  const from = `${year}-${pad(firstMonth)}-01`;
  const next = q === 4 ? `${year + 1}-01-01` : `${year}-${pad(firstMonth + 3)}-01`;
  return { from, to: addDays(next, -1), label: `Trimestrul ${ROMAN[q - 1]} ${year}` };
}

/** The quarter a day falls in. */
export function quarterOf(d: IsoDate): Quarter {
  const month = Number(d.slice(5, 7));
  return quarter(Number(d.slice(0, 4)), (Math.floor((month - 1) / 3) + 1) as 1 | 2 | 3 | 4);
}

/** The quarter [from, to] is exactly, or null. */
export function asQuarter(from: IsoDate, to: IsoDate): Quarter | null {
  const q = quarterOf(from);
  return q.from === from && q.to === to ? q : null;
}

/** "Trimestrul I 2026" for a quarter, else "01.01.2026 – 15.02.2026". */
export function periodLabel(from: IsoDate, to: IsoDate): string {
  return asQuarter(from, to)?.label ?? `${roDate(from)} – ${roDate(to)}`;
}

export function daysInPeriod(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}
