/**
 * "Today" and every business date: a day in Europe/Bucharest, whatever the time zone of the server or the browser
 * (issue 14 item 4). Registration dates, legal due dates, the deadline badge and the letters all count Romanian
 * days, so this is the one place that turns an instant into one, and that counts calendar days from one. The web
 * pages import it too (`$codes`), so the browser's "today" is the server's.
 */

/** YYYY-MM-DD, a day in Europe/Bucharest. */
export type IsoDate = string;

export const BUSINESS_TZ = 'Europe/Bucharest';

// Building an Intl formatter is costly (time-zone data); one is enough for the process.
const clock = new Intl.DateTimeFormat('en-CA', {
  timeZone: BUSINESS_TZ,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The business date of an instant, its minutes since midnight (opening hours) and its year (case numbers). */
export function businessClock(at: Date): { date: IsoDate; minutes: number; year: number } {
  const parts = clock.formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  return { date, minutes: Number(get('hour')) * 60 + Number(get('minute')), year: Number(get('year')) };
}

/** The business date (YYYY-MM-DD, Europe/Bucharest) of an instant: today, without an argument. */
export function businessDate(at: Date = new Date()): IsoDate {
  return businessClock(at).date;
}

/** The day `n` days after `d` (before, when `n` is negative): calendar days, YYYY-MM-DD in and out. */
export function addDays(d: IsoDate, n: number): IsoDate {
  const x = new Date(`${d}T00:00:00Z`);
  x.setUTCDate(x.getUTCDate() + n);
  return x.toISOString().slice(0, 10);
}
