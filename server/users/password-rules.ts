import type { ErrorCode } from '../errors.ts';

/** The rules a new staff password must meet (the page lists the same ones to the person choosing it). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * What is wrong with a chosen password, or null. Length is the rule that matters (NIST SP 800-63B: no
 * composition rules); the address is refused because it is the first thing a guesser tries.
 */
export function passwordProblem(password: string, confirmation: string, email: string): ErrorCode | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'PASSWORD_TOO_SHORT';
  if (length > PASSWORD_MAX_LENGTH) return 'PASSWORD_TOO_LONG';
  const lower = password.toLowerCase();
  const local = email.toLowerCase().split('@')[0] ?? '';
  if (lower.includes(email.toLowerCase()) || (local.length >= 4 && lower.includes(local)))
    return 'PASSWORD_CONTAINS_EMAIL';
  if (password !== confirmation) return 'PASSWORD_MISMATCH';
  return null;
}
