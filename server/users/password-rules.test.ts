import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-rules.ts';

describe('passwordProblem', () => {
  const email = 'elena.muresan@demo.local';

  it('accepts 12 characters or more, counted as characters (diacritics are one each)', () => {
    expect(passwordProblem('ăâîșțăâîșțăâ', 'ăâîșțăâîșțăâ', email)).toBeNull();
    expect(passwordProblem('brazi verzi pe munte', 'brazi verzi pe munte', email)).toBeNull();
  });

  it('names what is wrong, length first', () => {
    expect(passwordProblem('ăâîșțăâîșță', 'ăâîșțăâîșță', email)).toBe('PASSWORD_TOO_SHORT');
    expect(passwordProblem('x'.repeat(129), 'x'.repeat(129), email)).toBe('PASSWORD_TOO_LONG');
    expect(passwordProblem('Elena.Muresan-2026!', 'Elena.Muresan-2026!', email)).toBe(
      'PASSWORD_CONTAINS_EMAIL',
    );
    expect(passwordProblem('brazi verzi pe munte', 'brazi verzi pe munti', email)).toBe('PASSWORD_MISMATCH');
  });
});
