import { describe, expect, it } from 'vitest';
import { deadlineRisk } from './deadline-risk.ts';

describe('how a due date stands', () => {
  // Thursday 5 March 2026, a warning lead time of two working days: Friday 6 and Monday 9.
  const w = { today: '2026-03-05', riskUntil: '2026-03-09' };

  it('is late once the due date has passed', () => {
    expect(deadlineRisk('2026-03-04', w)).toBe('late');
    expect(deadlineRisk('2025-12-31', w)).toBe('late');
  });

  it('is at risk from today up to the last day of the warning window, the weekend inside it included', () => {
    for (const d of ['2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09'])
      expect(deadlineRisk(d, w), d).toBe('at_risk');
  });

  it('is on time after the warning window', () => {
    expect(deadlineRisk('2026-03-10', w)).toBe('on_time');
    expect(deadlineRisk('2026-04-30', w)).toBe('on_time');
  });

  it('with no warning lead time, only a case due today is at risk', () => {
    const none = { today: '2026-03-05', riskUntil: '2026-03-05' };
    expect([
      deadlineRisk('2026-03-04', none),
      deadlineRisk('2026-03-05', none),
      deadlineRisk('2026-03-06', none),
    ]).toEqual(['late', 'at_risk', 'on_time']);
  });
});
