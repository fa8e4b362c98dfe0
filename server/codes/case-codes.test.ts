import { describe, expect, it } from 'vitest';
import {
  answeredCaseStatuses,
  caseStatuses,
  closedCaseStatuses,
  isAnsweredCase,
  isClosedCase,
  isOpenCase,
  openCaseStatuses,
  unclosedCaseStatuses,
} from './case-codes.ts';

describe('where a case stands, by its status', () => {
  it('open is registered and in progress: the case waits for its answer', () => {
    expect(caseStatuses.filter(isOpenCase)).toEqual(['registered', 'in_progress']);
  });

  it('answered is every status after the answer went out, except an annulled registration', () => {
    expect(caseStatuses.filter(isAnsweredCase)).toEqual(['answer_sent', 'closed', 'filed']);
    expect(isAnsweredCase('annulled')).toBe(false);
  });

  it('closed is closed, filed and annulled; an answer sent is not closed yet', () => {
    expect(caseStatuses.filter(isClosedCase)).toEqual(['closed', 'filed', 'annulled']);
    expect(isClosedCase('answer_sent')).toBe(false);
  });

  it('every status is either open or answered or annulled, never two of them', () => {
    for (const s of caseStatuses) {
      const where = [isOpenCase(s), isAnsweredCase(s), s === 'annulled'].filter(Boolean);
      expect(where, s).toHaveLength(1);
    }
  });

  it('not closed is exactly the complement of closed: open plus answer sent', () => {
    expect([...unclosedCaseStatuses].sort()).toEqual(caseStatuses.filter((s) => !isClosedCase(s)).sort());
    expect([...unclosedCaseStatuses]).toEqual([...openCaseStatuses, 'answer_sent']);
  });

  it('answered and closed overlap in closed and filed only', () => {
    expect(answeredCaseStatuses.filter((s) => (closedCaseStatuses as readonly string[]).includes(s))).toEqual(
      ['closed', 'filed'],
    );
  });

  it('an unknown status is in none of them', () => {
    expect([isOpenCase('x'), isAnsweredCase('x'), isClosedCase('x')]).toEqual([false, false, false]);
  });
});
