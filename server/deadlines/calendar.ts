/**
 * The business calendar: Romanian legal holidays (Labour Code art. 139), working days, the registration date and
 * the legal due date. Every business date is a 'YYYY-MM-DD' string in Europe/Bucharest.
 */
import { addDays, businessClock, type IsoDate } from '../codes/business-date.ts';

// The business date of an instant ("today") and calendar-day arithmetic are defined once, in server/codes (the web
// pages share them).
export { addDays, BUSINESS_TZ, businessClock, businessDate, type IsoDate } from '../codes/business-date.ts';

function toUtc(d: IsoDate): Date {
  return new Date(`${d}T00:00:00Z`);
}
function ymd(y: number, m: number, d: number): IsoDate {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Orthodox Easter Sunday (Gregorian date): Meeus' Julian algorithm plus the 13-day offset valid 1900–2099. */
export function orthodoxEaster(year: number): IsoDate {
  const a = year % 4;
  const b = year % 7;
  const c = year % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  return addDays(ymd(year, month, day), 13);
}

const holidayCache = new Map<number, Map<IsoDate, string>>();

/** Legal holidays of a year, with the year each was introduced (so past deadlines recompute as they were). */
export function legalHolidays(year: number): Map<IsoDate, string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const h = new Map<IsoDate, string>();
  const add = (date: IsoDate, name: string, since = 0) => {
    if (year >= since) h.set(date, h.has(date) ? `${h.get(date)}; ${name}` : name);
  };
  add(ymd(year, 1, 1), 'Anul Nou');
  add(ymd(year, 1, 2), 'Anul Nou');
  add(ymd(year, 1, 6), 'Boboteaza', 2024);
  add(ymd(year, 1, 7), 'Sf. Ioan Botezătorul', 2024);
  add(ymd(year, 1, 24), 'Ziua Unirii Principatelor Române', 2016);
  const easter = orthodoxEaster(year);
  add(addDays(easter, -2), 'Vinerea Mare', 2018);
  add(easter, 'Paștele');
  add(addDays(easter, 1), 'A doua zi de Paște');
  add(ymd(year, 5, 1), 'Ziua Muncii');
  add(ymd(year, 6, 1), 'Ziua Copilului', 2017);
  add(addDays(easter, 49), 'Rusaliile');
  add(addDays(easter, 50), 'A doua zi de Rusalii');
  add(ymd(year, 8, 15), 'Adormirea Maicii Domnului', 2009);
  add(ymd(year, 11, 30), 'Sf. Andrei', 2012);
  add(ymd(year, 12, 1), 'Ziua Națională a României');
  add(ymd(year, 12, 25), 'Crăciunul');
  add(ymd(year, 12, 26), 'A doua zi de Crăciun');
  holidayCache.set(year, h);
  return h;
}

export interface CalendarOptions {
  /** Per-tenant extra non-working days. */
  extraNonWorkingDays?: ReadonlySet<IsoDate>;
}

export function isWorkingDay(d: IsoDate, opts: CalendarOptions = {}): boolean {
  const dow = toUtc(d).getUTCDay();
  if (dow === 0 || dow === 6) return false;
  if (legalHolidays(Number(d.slice(0, 4))).has(d)) return false;
  return !opts.extraNonWorkingDays?.has(d);
}

export function nextWorkingDay(d: IsoDate, opts: CalendarOptions = {}): IsoDate {
  let x = addDays(d, 1);
  while (!isWorkingDay(x, opts)) x = addDays(x, 1);
  return x;
}

export interface OpeningHours {
  /** 'HH:MM' or 'HH:MM:SS' */
  opensAt: string;
  closesAt: string;
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * Order 83/2021: a request received on a non-working day, or after opening hours, is registered on the next
 * working day. One received before opening on a working day is registered that same day.
 */
export function registrationDate(receivedAt: Date, hours: OpeningHours, opts: CalendarOptions = {}): IsoDate {
  const { date, minutes } = businessClock(receivedAt);
  if (isWorkingDay(date, opts) && minutes < minutesOf(hours.closesAt)) return date;
  return nextWorkingDay(date, opts);
}

export interface DeadlineTerm {
  days: number;
  unit: 'working' | 'calendar';
}

/**
 * How a term is counted (a per-tenant setting):
 * - `civil_code` (Civil Code art. 2553, the default and earlier reading): the registration day is not counted and
 *   the term ends at the end of its last day;
 * - `free_days` ("zile libere"): neither the first nor the last day counts, so the N counted days lie strictly
 *   between registration and the due day: the due day is one (working) day later than under `civil_code`.
 */
export type CountingReading = 'civil_code' | 'free_days';
export const COUNTING_READINGS: readonly CountingReading[] = ['civil_code', 'free_days'];
export const COUNTING_READING_LABELS: Record<CountingReading, string> = {
  civil_code:
    'Codul civil, art. 2553: ziua înregistrării nu se socotește, termenul se împlinește la sfârșitul ultimei zile',
  free_days: 'Zile libere: nu se socotesc nici ziua înregistrării, nici ziua în care termenul se împlinește',
};

/**
 * Civil Code art. 2553: the registration day is not counted. N working days end on the N-th working day after
 * registration; N calendar days end on registration + N, moved to the next working day when that is not one.
 * Under the `free_days` reading the last day is excluded too: the due day is the day after (the next working day
 * for working days; registration + N + 1, moved to the next working day, for calendar days).
 */
export function dueDate(
  registeredOn: IsoDate,
  term: DeadlineTerm,
  opts: CalendarOptions & { reading?: CountingReading } = {},
): IsoDate {
  const extraDay = opts.reading === 'free_days' ? 1 : 0;
  if (term.unit === 'working') {
    let d = registeredOn;
    for (let i = 0; i < term.days + extraDay; i++) d = nextWorkingDay(d, opts);
    return d;
  }
  const end = addDays(registeredOn, term.days + extraDay);
  return isWorkingDay(end, opts) ? end : nextWorkingDay(end, opts);
}

export function previousWorkingDay(d: IsoDate, opts: CalendarOptions = {}): IsoDate {
  let x = addDays(d, -1);
  while (!isWorkingDay(x, opts)) x = addDays(x, -1);
  return x;
}

/** The start of a business day (00:00 Europe/Bucharest) as an ISO instant with offset. */
export function startOfBusinessDay(d: IsoDate): string {
  return endOfBusinessDay(d).replace('T23:59:59.999', 'T00:00:00.000');
}

/** The end of a business day (23:59:59.999 Europe/Bucharest) as an ISO instant with offset, for engine timers. */
export function endOfBusinessDay(d: IsoDate): string {
  // Find the Bucharest offset on that day (EET +02:00 or EEST +03:00).
  const probe = new Date(`${d}T12:00:00Z`);
  const local = businessClock(probe);
  const offsetMinutes = local.minutes - 12 * 60;
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${d}T23:59:59.999${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
