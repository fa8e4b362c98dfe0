import { describe, expect, it } from 'vitest';
import { deadlineRisk } from '../codes/deadline-risk.ts';
import { addDays, previousWorkingDay } from './calendar.ts';
import { clockMoments } from './clock.ts';
import { riskUntil } from './risk-window.ts';

describe('riskUntil', () => {
  it('reaches the given number of working days ahead, over weekends and public holidays', () => {
    // Thursday 5 March 2026: Friday 6, Monday 9.
    expect(riskUntil('2026-03-05', 2)).toBe('2026-03-09');
    // Thursday 9 April 2026: Good Friday (10) and Easter Monday (13) are holidays: Tuesday 14, Wednesday 15.
    expect(riskUntil('2026-04-09', 2)).toBe('2026-04-15');
    // From a Saturday, the next working days.
    expect(riskUntil('2026-03-07', 1)).toBe('2026-03-09');
  });

  it("counts the tenant's own non-working days", () => {
    expect(riskUntil('2026-03-05', 2, { extraNonWorkingDays: new Set(['2026-03-06']) })).toBe('2026-03-10');
  });

  it('with no lead time is today', () => {
    expect(riskUntil('2026-03-05', 0)).toBe('2026-03-05');
  });

  it('makes a due date at risk exactly from the day its deadline warning goes out until it is due', () => {
    for (const lead of [0, 1, 2, 5])
      for (let t = 0; t < 60; t++) {
        const today = addDays('2026-03-20', t);
        for (let k = 0; k < 15; k++) {
          const due = addDays(today, k);
          const warnOn = clockMoments(due, { warnWorkingDaysBefore: lead }).warnAt.slice(0, 10);
          const warned = warnOn <= today;
          expect(
            deadlineRisk(due, { today, riskUntil: riskUntil(today, lead) }),
            `${today} ${due} ${lead}`,
          ).toBe(warned ? 'at_risk' : 'on_time');
        }
        expect(deadlineRisk(previousWorkingDay(today), { today, riskUntil: riskUntil(today, lead) })).toBe(
          'late',
        );
      }
  });
});
