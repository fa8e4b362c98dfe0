/**
 * Dates as Romanian readers expect them: dd.mm.yyyy, in Europe/Bucharest whatever the server's time zone.
 * Calendar days (YYYY-MM-DD from the API) are never passed through Date, so they cannot shift by a day.
 */

import { BUSINESS_TZ } from '$codes/business-date';

const ZONE = BUSINESS_TZ;

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The engine writes offsets as +0000; Date wants +00:00. */
function toDate(value: string | Date): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const d = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(d.getTime()) ? null : d;
}

function parts(d: Date) {
  const p = Object.fromEntries(dayFormat.formatToParts(d).map((x) => [x.type, x.value]));
  return { year: p.year ?? '', month: p.month ?? '', day: p.day ?? '' };
}

/** '2026-03-05' → '05.03.2026'; an instant → its Bucharest day. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) return `${m[3]}.${m[2]}.${m[1]}`;
  const d = toDate(value);
  if (!d) return value;
  const { year, month, day } = parts(d);
  return `${day}.${month}.${year}`;
}

/** An instant → '05.03.2026, 14:07' (Bucharest time). */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = toDate(value);
  if (!d) return value;
  return `${formatDate(value)}, ${timeFormat.format(d)}`;
}

/** The machine-readable value for <time datetime>. */
export function isoOf(value: string): string {
  const d = toDate(value);
  return d ? d.toISOString() : value;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

/** Romanian counting: 1 zi, 2 zile, 20 de zile, 101 zile; `adjective` agrees with the plural (zile lucrătoare). */
export function countDays(n: number, adjective = ''): string {
  const abs = Math.abs(n);
  const tail = adjective ? ` ${adjective}` : '';
  if (abs === 1) return `${n} zi`;
  const de = abs !== 0 && (abs % 100 === 0 || abs % 100 >= 20);
  return `${n} ${de ? 'de ' : ''}zile${tail}`;
}

/** '15 zile lucrătoare' / '30 de zile calendaristice'. */
export function ruleDuration(rule: { days: number; unit: string }): string {
  if (rule.unit === 'working')
    return rule.days === 1 ? '1 zi lucrătoare' : countDays(rule.days, 'lucrătoare');
  return rule.days === 1 ? '1 zi calendaristică' : countDays(rule.days, 'calendaristice');
}
