import { describe, expect, it } from 'vitest';
import { businessClock, businessDate } from './business-date.ts';

describe('the business date (Europe/Bucharest)', () => {
  it('is the Romanian day, not the UTC one, around midnight in winter (UTC+2) and summer (UTC+3)', () => {
    // 22:30 UTC on 14 January is 00:30 on the 15th in Bucharest.
    expect(businessDate(new Date('2026-01-14T22:30:00Z'))).toBe('2026-01-15');
    expect(businessDate(new Date('2026-01-14T21:59:59Z'))).toBe('2026-01-14');
    // 21:30 UTC on 14 July is 00:30 on the 15th in Bucharest (summer time).
    expect(businessDate(new Date('2026-07-14T21:30:00Z'))).toBe('2026-07-15');
    expect(businessDate(new Date('2026-07-14T20:59:59Z'))).toBe('2026-07-14');
  });

  it('follows the change of time: the last Sunday of March and of October', () => {
    // 29 March 2026, 01:00 UTC: 04:00 EEST (the clocks went from 03:00 to 04:00).
    expect(businessClock(new Date('2026-03-29T01:00:00Z'))).toEqual({
      date: '2026-03-29',
      minutes: 240,
      year: 2026,
    });
    // 25 October 2026, 01:00 UTC: 03:00 EET (the clocks went back from 04:00 to 03:00).
    expect(businessClock(new Date('2026-10-25T01:00:00Z'))).toEqual({
      date: '2026-10-25',
      minutes: 180,
      year: 2026,
    });
  });

  it("gives the year of the Romanian day on New Year's night", () => {
    expect(businessClock(new Date('2026-12-31T22:15:00Z'))).toEqual({
      date: '2027-01-01',
      minutes: 15,
      year: 2027,
    });
  });

  it('is today without an argument, whatever TZ the process runs in', () => {
    const before = businessDate(new Date());
    const today = businessDate();
    const after = businessDate(new Date());
    expect([before, after]).toContain(today);
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
