import { describe, expect, it } from 'vitest';
import {
  dueDate,
  endOfBusinessDay,
  isWorkingDay,
  legalHolidays,
  orthodoxEaster,
  registrationDate,
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
