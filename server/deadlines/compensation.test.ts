import { describe, expect, it } from 'vitest';
import { compensationLei, delayDays } from './compensation.ts';

const rule = { baseLei: 100, perDayLei: 50 };

describe('compensation for a missed deadline', () => {
  it.each([
    ['2026-12-18', '2026-12-18', 0, 0],
    ['2026-12-18', '2026-12-17', 0, 0],
    ['2026-12-18', '2026-12-19', 1, 100],
    ['2026-12-18', '2026-12-20', 2, 150],
    ['2026-12-30', '2027-01-04', 5, 300],
    ['2028-02-28', '2028-03-01', 2, 150],
  ])('due %s, answered %s: %i days, %i lei', (due, answered, days, lei) => {
    expect(delayDays(due, answered)).toBe(days);
    expect(compensationLei(delayDays(due, answered), rule)).toBe(lei);
  });

  it.each([
    // Friday due, answered the next Monday: 1 working day late (the weekend does not count).
    ['2026-12-04', '2026-12-07', 1],
    // Due Thursday 2026-12-24; 25–26 December and the weekend are not working days: Monday the 28th is day 1.
    ['2026-12-24', '2026-12-29', 2],
    // Answered on a Saturday after a Friday deadline: still late, by at least one day.
    ['2026-12-04', '2026-12-05', 1],
    ['2026-12-04', '2026-12-04', 0],
  ])('working-day rule: due %s, answered %s: %i working days', (due, answered, days) => {
    expect(delayDays(due, answered, 'working')).toBe(days);
  });
});
