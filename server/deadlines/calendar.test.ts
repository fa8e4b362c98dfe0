import { describe, expect, it } from 'vitest';
import {
  dueDate,
  endOfBusinessDay,
  isWorkingDay,
  legalHolidays,
  orthodoxEaster,
  registrationDate,
  type DeadlineTerm,
} from './calendar.ts';

const hours = { opensAt: '08:00', closesAt: '16:30' };

describe('orthodoxEaster', () => {
  it.each([
    [2024, '2024-05-05'],
    [2025, '2025-04-20'],
    [2026, '2026-04-12'],
    [2027, '2027-05-02'],
  ])('%i is %s', (year, date) => expect(orthodoxEaster(year)).toBe(date));
});

describe('legalHolidays', () => {
  it('2026 has Good Friday, Whit Monday on 1 June and the January days', () => {
    const h = [...legalHolidays(2026).keys()].sort();
    expect(h).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-01-06',
      '2026-01-07',
      '2026-01-24',
      '2026-04-10',
      '2026-04-12',
      '2026-04-13',
      '2026-05-01',
      '2026-05-31',
      '2026-06-01',
      '2026-08-15',
      '2026-11-30',
      '2026-12-01',
      '2026-12-25',
      '2026-12-26',
    ]);
  });
  it('6 and 7 January count only from 2024', () => {
    expect(isWorkingDay('2023-01-06')).toBe(true); // a Friday, before Law 52/2023 applied
    expect(legalHolidays(2023).has('2023-01-06')).toBe(false);
    expect(legalHolidays(2024).has('2024-01-06')).toBe(true);
  });
});

describe('registrationDate', () => {
  it('registers a working-day receipt within hours on the same day', () => {
    expect(registrationDate(new Date('2026-11-25T10:00:00+02:00'), hours)).toBe('2026-11-25');
  });
  it('registers an after-hours receipt on the next working day', () => {
    expect(registrationDate(new Date('2026-11-27T17:00:00+02:00'), hours)).toBe('2026-12-02');
  });
  it('registers a Saturday receipt on Monday', () => {
    expect(registrationDate(new Date('2026-11-21T11:00:00+02:00'), hours)).toBe('2026-11-23');
  });
  it('uses Bucharest time, not UTC (23:30 UTC on 31 Dec is 1 Jan in Bucharest)', () => {
    expect(registrationDate(new Date('2026-12-31T23:30:00Z'), hours)).toBe('2027-01-04');
  });
});

describe('dueDate', () => {
  it('15 working days skip weekends and 30 Nov / 1 Dec', () => {
    expect(dueDate('2026-11-25', { days: 15, unit: 'working' })).toBe('2026-12-18');
  });
  it('30 calendar days ending on a Saturday move to Monday', () => {
    expect(dueDate('2026-10-01', { days: 30, unit: 'calendar' })).toBe('2026-11-02');
  });
  it('a term over Easter 2026 skips Good Friday and Easter Monday', () => {
    expect(dueDate('2026-04-08', { days: 3, unit: 'working' })).toBe('2026-04-15');
  });
  it('tenant extra non-working days are skipped', () => {
    const extra = new Set(['2026-11-26']);
    expect(dueDate('2026-11-25', { days: 1, unit: 'working' }, { extraNonWorkingDays: extra })).toBe(
      '2026-11-27',
    );
  });
});

describe('endOfBusinessDay', () => {
  it('is +02:00 in winter and +03:00 in summer', () => {
    expect(endOfBusinessDay('2026-12-17')).toBe('2026-12-17T23:59:59.999+02:00');
    expect(endOfBusinessDay('2026-07-01')).toBe('2026-07-01T23:59:59.999+03:00');
  });
});

/**
 * Dated cases, each worked out by hand from design.md "Counting": opening hours 08:00–16:30 Europe/Bucharest;
 * a receipt after 16:30 or on a non-working day is registered on the next working day; the registration day is
 * not counted; N working days end on the N-th working day after registration; N calendar days end on
 * registration + N, moved to the next working day. Holidays used below (Labour Code art. 139):
 *   2024: Jan 1, 2, 6, 7, 24; May 1; May 3 (Good Fri), 5, 6 (Orthodox Easter); Jun 1; Jun 23, 24 (Rusalii); ...
 *   2025: Jan 1, 2, 6, 7, 24; Apr 18, 20, 21; May 1; Jun 1, 8, 9; Aug 15; Nov 30; Dec 1, 25, 26
 *   2026: Jan 1, 2, 6, 7, 24; Apr 10, 12, 13; May 1; May 31, Jun 1 (Whit Monday = Children's Day); Aug 15;
 *         Nov 30; Dec 1, 25, 26
 *   2027: Jan 1, 2, 6, 7, 24; Apr 30, May 2, 3; May 1; Jun 1; Jun 20, 21; Aug 15; Nov 30; Dec 1, 25, 26
 *   2028 (leap year): Jan 1, 2, 6, 7, 24; Apr 14, 16, 17 (Orthodox Easter 16 April); May 1; Jun 1; Jun 4, 5
 */
type Case = [
  label: string,
  receivedAt: string,
  term: { days: number; unit: 'working' | 'calendar' },
  registeredOn: string,
  due: string,
  extra?: string[],
];
const W = (days: number) => ({ days, unit: 'working' as const });
const C = (days: number) => ({ days, unit: 'calendar' as const });

const DATED_CASES: Case[] = [
  // Year ends
  [
    '31 Dec 2025 noon: 5 wd skip 1–2 Jan, the weekend, 6–7 Jan',
    '2025-12-31T12:00+02:00',
    W(5),
    '2025-12-31',
    '2026-01-13',
  ],
  [
    '31 Dec 2025 after hours: registered Mon 5 Jan, 1 wd skips 6–7 Jan',
    '2025-12-31T17:00+02:00',
    W(1),
    '2026-01-05',
    '2026-01-08',
  ],
  [
    '24 Dec 2025: 30 cd end Fri 23 Jan 2026 (24 Jan is the holiday)',
    '2025-12-24T10:00+02:00',
    C(30),
    '2025-12-24',
    '2026-01-23',
  ],
  [
    '24 Dec 2026: 2 wd skip Christmas and the weekend',
    '2026-12-24T10:00+02:00',
    W(2),
    '2026-12-24',
    '2026-12-29',
  ],
  [
    '31 Dec 2026: 30 cd end Sat 30 Jan 2027, moved to Mon 1 Feb',
    '2026-12-31T09:00+02:00',
    C(30),
    '2026-12-31',
    '2027-02-01',
  ],
  [
    '31 Dec 2024 16:29 (open): 15 wd over 1–2, 6–7 and 24 Jan 2025',
    '2024-12-31T16:29+02:00',
    W(15),
    '2024-12-31',
    '2025-01-28',
  ],
  [
    '31 Dec 2024 16:30 (closed): registered Fri 3 Jan; 30 cd end Sun 2 Feb → Mon',
    '2024-12-31T16:30+02:00',
    C(30),
    '2025-01-03',
    '2025-02-03',
  ],
  [
    '29 Dec 2023: 5 wd skip 1–2 Jan 2024 and the weekend of 6–7 Jan',
    '2023-12-29T12:00+02:00',
    W(5),
    '2023-12-29',
    '2024-01-09',
  ],
  [
    '31 Dec 2027: 5 wd into 2028 skip 1–2 Jan (weekend) and 6–7 Jan',
    '2027-12-31T10:00+02:00',
    W(5),
    '2027-12-31',
    '2028-01-11',
  ],
  [
    '22:30 UTC on 31 Dec 2026 is 00:30 on 1 Jan 2027 in Bucharest',
    '2026-12-31T22:30:00Z',
    W(15),
    '2027-01-04',
    '2027-01-27',
  ],
  [
    '3 Jan 2025 (Fri): 1 wd skips the weekend and 6–7 Jan',
    '2025-01-03T10:00+02:00',
    W(1),
    '2025-01-03',
    '2025-01-08',
  ],
  [
    '6 Jan 2023 was a working day (before Law 52/2023)',
    '2023-01-06T10:00+02:00',
    W(1),
    '2023-01-06',
    '2023-01-09',
  ],
  [
    '23 Dec 2024: 32 cd end on 24 Jan 2025 (holiday, Fri) → Mon 27',
    '2024-12-23T10:00+02:00',
    C(32),
    '2024-12-23',
    '2025-01-27',
  ],
  // Easter weeks (Orthodox Easter 5 May 2024, 20 Apr 2025, 12 Apr 2026, 2 May 2027, 16 Apr 2028)
  [
    '30 Apr 2024: 3 wd skip 1 May, Good Friday 3 May and Easter Monday 6 May',
    '2024-04-30T10:00+03:00',
    W(3),
    '2024-04-30',
    '2024-05-08',
  ],
  [
    '2 May 2024 after hours: registered Tue 7 May',
    '2024-05-02T17:00+03:00',
    C(30),
    '2024-05-07',
    '2024-06-06',
  ],
  [
    '17 Apr 2025: 1 wd skips Good Friday to Easter Monday',
    '2025-04-17T15:00+03:00',
    W(1),
    '2025-04-17',
    '2025-04-22',
  ],
  [
    'Good Friday 2025: registered Tue 22 Apr; 15 wd skip 1 May',
    '2025-04-18T10:00+03:00',
    W(15),
    '2025-04-22',
    '2025-05-14',
  ],
  [
    '9 Apr 2026: 2 wd skip Good Friday 10 and Easter Monday 13',
    '2026-04-09T12:00+03:00',
    W(2),
    '2026-04-09',
    '2026-04-15',
  ],
  [
    '13 Mar 2026: 30 cd end on Easter Sunday 12 Apr → Tue 14',
    '2026-03-13T10:00+02:00',
    C(30),
    '2026-03-13',
    '2026-04-14',
  ],
  [
    '11 Mar 2026: 30 cd end on Good Friday 10 Apr → Tue 14',
    '2026-03-11T10:00+02:00',
    C(30),
    '2026-03-11',
    '2026-04-14',
  ],
  [
    '29 Apr 2027: 1 wd skips Good Friday 30 Apr, 1 May and Easter Monday 3 May',
    '2027-04-29T11:00+03:00',
    W(1),
    '2027-04-29',
    '2027-05-04',
  ],
  [
    'Good Friday 2027: registered Tue 4 May; 10 wd',
    '2027-04-30T09:00+03:00',
    W(10),
    '2027-05-04',
    '2027-05-18',
  ],
  [
    '1 Apr 2027: 30 cd end on 1 May (Sat) → past Easter Sunday and Monday → Tue 4',
    '2027-04-01T10:00+03:00',
    C(30),
    '2027-04-01',
    '2027-05-04',
  ],
  [
    '13 Apr 2028: 1 wd skips Good Friday 14 to Easter Monday 17',
    '2028-04-13T10:00+03:00',
    W(1),
    '2028-04-13',
    '2028-04-18',
  ],
  // Pentecost and 1 June
  [
    '29 May 2026: 1 wd skips the weekend and 1 June (Whit Monday and Children\u2019s Day)',
    '2026-05-29T10:00+03:00',
    W(1),
    '2026-05-29',
    '2026-06-02',
  ],
  [
    '29 May 2026 after hours: registered Tue 2 Jun; 15 wd',
    '2026-05-29T18:00+03:00',
    W(15),
    '2026-06-02',
    '2026-06-23',
  ],
  [
    '17 Apr 2026: 45 cd end on 1 Jun 2026 → Tue 2',
    '2026-04-17T10:00+03:00',
    C(45),
    '2026-04-17',
    '2026-06-02',
  ],
  [
    'Whit Sunday 31 May 2026: registered Tue 2 Jun; 30 cd',
    '2026-05-31T12:00+03:00',
    C(30),
    '2026-06-02',
    '2026-07-02',
  ],
  [
    '6 Jun 2025: 1 wd skips the weekend and Whit Monday 9 Jun',
    '2025-06-06T16:00+03:00',
    W(1),
    '2025-06-06',
    '2025-06-10',
  ],
  ['31 May 2027: 1 wd skips 1 June (Tuesday)', '2027-05-31T10:00+03:00', W(1), '2027-05-31', '2027-06-02'],
  [
    '21 Jun 2024: 1 wd skips the weekend and Whit Monday 24 Jun',
    '2024-06-21T10:00+03:00',
    W(1),
    '2024-06-21',
    '2024-06-25',
  ],
  // Leap years
  [
    '31 Jan 2028: 30 cd end on 1 Mar (29 days in Feb 2028)',
    '2028-01-31T10:00+02:00',
    C(30),
    '2028-01-31',
    '2028-03-01',
  ],
  [
    '29 Jan 2027: 30 cd end Sun 28 Feb → Mon 1 Mar (no 29 Feb)',
    '2027-01-29T10:00+02:00',
    C(30),
    '2027-01-29',
    '2027-03-01',
  ],
  [
    '28 Feb 2028 after hours: registered on 29 Feb; 1 wd',
    '2028-02-28T17:00+02:00',
    W(1),
    '2028-02-29',
    '2028-03-01',
  ],
  ['29 Feb 2028: 15 wd', '2028-02-29T10:00+02:00', W(15), '2028-02-29', '2028-03-21'],
  ['29 Feb 2028 08:00: 30 cd end Thu 30 Mar', '2028-02-29T08:00+02:00', C(30), '2028-02-29', '2028-03-30'],
  // After-hours and weekend receipts
  [
    'before opening on a working day: registered the same day',
    '2026-03-10T07:00+02:00',
    W(5),
    '2026-03-10',
    '2026-03-17',
  ],
  ['Saturday receipt: registered Monday', '2026-03-14T10:00+02:00', W(5), '2026-03-16', '2026-03-23'],
  ['Sunday 23:59: registered Monday; 30 cd', '2026-03-15T23:59+02:00', C(30), '2026-03-16', '2026-04-15'],
  [
    'Fri 27 Nov 2026 16:31: registered Wed 2 Dec (30 Nov, 1 Dec)',
    '2026-11-27T16:31+02:00',
    W(15),
    '2026-12-02',
    '2026-12-23',
  ],
  [
    '13:45 UTC on 23 Oct 2026 is 16:45 summer time: after hours',
    '2026-10-23T13:45:00Z',
    W(5),
    '2026-10-26',
    '2026-11-02',
  ],
  [
    '14:45 UTC on 20 Nov 2026 is 16:45 winter time: after hours',
    '2026-11-20T14:45:00Z',
    W(1),
    '2026-11-23',
    '2026-11-24',
  ],
  // Calendar-day terms ending on holidays
  [
    '16 Jul 2026: 30 cd end on 15 Aug (Sat, holiday) → Mon 17',
    '2026-07-16T10:00+03:00',
    C(30),
    '2026-07-16',
    '2026-08-17',
  ],
  [
    '16 Nov 2026: 14 cd end on 30 Nov → past 1 Dec → Wed 2',
    '2026-11-16T10:00+02:00',
    C(14),
    '2026-11-16',
    '2026-12-02',
  ],
  [
    '25 Nov 2025: 30 cd end on Christmas → past 26 Dec and the weekend → Mon 29',
    '2025-11-25T10:00+02:00',
    C(30),
    '2025-11-25',
    '2025-12-29',
  ],
  // Tenant extra non-working days
  [
    'extra days 24 and 31 Dec 2026 are skipped',
    '2026-12-23T10:00+02:00',
    W(5),
    '2026-12-23',
    '2027-01-05',
    ['2026-12-24', '2026-12-31'],
  ],
  [
    'a receipt on an extra non-working day is registered the next working day',
    '2026-12-24T10:00+02:00',
    C(30),
    '2026-12-28',
    '2027-01-27',
    ['2026-12-24'],
  ],
];

describe('dated cases (registration date and due date)', () => {
  it('has at least 40 cases', () => expect(DATED_CASES.length).toBeGreaterThanOrEqual(40));
  it.each(DATED_CASES)('%s', (_label, receivedAt, term, registeredOn, due, extra) => {
    const opts = { extraNonWorkingDays: new Set(extra ?? []) };
    const reg = registrationDate(new Date(receivedAt), hours, opts);
    expect(reg).toBe(registeredOn);
    expect(dueDate(reg, term, opts)).toBe(due);
  });
});

describe('orthodoxEaster in a leap year', () => {
  it('2028 is 16 April', () => expect(orthodoxEaster(2028)).toBe('2028-04-16'));
});

/**
 * Both counting readings on the same dates, worked out by hand. `civil_code` (the default): the registration day is
 * not counted, the term ends at the end of its N-th day. `free_days`: neither the registration day nor the last day
 * counts, so the due day is the next working day after the N-th (working days), or registration + N + 1 moved to the
 * next working day (calendar days). [label, registeredOn, term, civil_code due, free_days due, extra days]
 */
const READING_CASES: Array<[string, string, DeadlineTerm, string, string, string[]?]> = [
  ['15 wd from Wed 25 Nov 2026 (over 30 Nov / 1 Dec)', '2026-11-25', W(15), '2026-12-18', '2026-12-21'],
  [
    '30 cd from 1 Oct 2026: Sat 31 Oct / Sun 1 Nov both move to Mon 2 Nov',
    '2026-10-01',
    C(30),
    '2026-11-02',
    '2026-11-02',
  ],
  ['3 wd from 8 Apr 2026 over Good Friday and Easter Monday', '2026-04-08', W(3), '2026-04-15', '2026-04-16'],
  [
    '5 wd from 23 Dec 2026: civil ends Thu 31 Dec, free days past 1–2 Jan to Mon 4 Jan',
    '2026-12-23',
    W(5),
    '2026-12-31',
    '2027-01-04',
  ],
  ['1 wd from Fri 29 May 2026 over Pentecost and 1 June', '2026-05-29', W(1), '2026-06-02', '2026-06-03'],
  [
    '30 cd from 25 Nov 2025 ends on Christmas: both readings land on Mon 29 Dec',
    '2025-11-25',
    C(30),
    '2025-12-29',
    '2025-12-29',
  ],
  ['30 cd from 2 Mar 2026: Wed 1 Apr vs Thu 2 Apr', '2026-03-02', C(30), '2026-04-01', '2026-04-02'],
  ['30 cd from 31 Jan 2028 (leap year, 29 Feb counted)', '2028-01-31', C(30), '2028-03-01', '2028-03-02'],
  [
    '10 cd from 21 Dec 2026: civil Thu 31 Dec, free days past New Year to Mon 4 Jan',
    '2026-12-21',
    C(10),
    '2026-12-31',
    '2027-01-04',
  ],
  [
    '10 wd from 27 Apr 2027 over Good Friday 30 Apr and Easter Monday 3 May',
    '2027-04-27',
    W(10),
    '2027-05-13',
    '2027-05-14',
  ],
  [
    '15 cd from 15 May 2026 end on Pentecost weekend: both Tue 2 June',
    '2026-05-15',
    C(15),
    '2026-06-02',
    '2026-06-02',
  ],
  [
    '1 wd from Fri 27 Nov 2026 over Sf. Andrei and 1 December',
    '2026-11-27',
    W(1),
    '2026-12-02',
    '2026-12-03',
  ],
  [
    '5 wd from 23 Dec 2026 with extra days 24 and 31 Dec; free days past Boboteaza',
    '2026-12-23',
    W(5),
    '2027-01-05',
    '2027-01-08',
    ['2026-12-24', '2026-12-31'],
  ],
  [
    '1 wd from Mon 5 Jan 2026 over Boboteaza and Sf. Ioan (6–7 Jan)',
    '2026-01-05',
    W(1),
    '2026-01-08',
    '2026-01-09',
  ],
];

describe('counting readings (civil_code and free_days) on dated cases', () => {
  it.each(READING_CASES)('%s', (_label, registeredOn, term, civil, free, extra) => {
    const opts = { extraNonWorkingDays: new Set(extra ?? []) };
    expect(dueDate(registeredOn, term, { ...opts, reading: 'civil_code' })).toBe(civil);
    expect(dueDate(registeredOn, term, opts)).toBe(civil); // civil_code is the default
    expect(dueDate(registeredOn, term, { ...opts, reading: 'free_days' })).toBe(free);
  });
  it('the free-days reading is never earlier than the civil-code reading', () => {
    for (const [, , , civil, free] of READING_CASES) expect(free >= civil).toBe(true);
  });
});
