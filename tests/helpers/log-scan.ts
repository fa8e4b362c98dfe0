import { readFileSync } from 'node:fs';

/**
 * Searches log files for secrets (issue 13 item 9). Every test context logs to a file of its own
 * (test-context.ts) and scans it when it closes; tests/security/no-secrets-in-logs.test.ts drives every kind of
 * credential through the app and scans for the values it was actually given.
 */
export interface Secret {
  /** What it is, for the failure message (never the value itself). */
  what: string;
  value: string;
}

export interface Leak {
  file: string;
  line: number;
  what: string;
}

const isAlnum = (c: string | undefined) =>
  c !== undefined && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));

/**
 * Whether the line holds the value as a whole token. A short code (a 6-digit login code) inside a longer number
 * or word (a timestamp) is not it; a long one counts wherever it appears.
 */
export function holds(line: string, value: string): boolean {
  if (!value) return false;
  for (let i = line.indexOf(value); i >= 0; i = line.indexOf(value, i + 1)) {
    if (value.length >= 16) return true;
    if (!isAlnum(line[i - 1]) && !isAlnum(line[i + value.length])) return true;
  }
  return false;
}

/**
 * Shapes that are a credential whatever its value: a Bearer token, a query's token or code that was not blanked,
 * a password field that was not redacted. Plain string search: the lines hold what clients sent.
 */
const SHAPES: Array<{ what: string; marker: string }> = [
  { what: 'a Bearer token', marker: 'Bearer ' },
  { what: 'a token in a URL', marker: '?token=' },
  { what: 'a token in a URL', marker: '&token=' },
  { what: 'a code in a URL', marker: '?code=' },
  { what: 'a code in a URL', marker: '&code=' },
  { what: 'a password field', marker: '"password":"' },
  { what: 'a token field', marker: '"token":"' },
  { what: 'a secret field', marker: '"secret":"' },
  { what: 'an access code field', marker: '"accessCode":"' },
];
const REDACTED = '[redacted]';

function shapeLeak(line: string): string | null {
  for (const { what, marker } of SHAPES)
    for (let i = line.indexOf(marker); i >= 0; i = line.indexOf(marker, i + 1)) {
      const rest = line.slice(i + marker.length, i + marker.length + REDACTED.length);
      if (rest !== REDACTED && rest !== '' && rest[0] !== '&' && rest[0] !== '"') return what;
    }
  return null;
}

/** The leaks in these files: any of the secrets, or any credential shape. */
export function scanLogFiles(files: string[], secrets: Secret[]): Leak[] {
  const leaks: Leak[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const s of secrets) if (holds(line, s.value)) leaks.push({ file, line: i + 1, what: s.what });
      const shape = shapeLeak(line);
      if (shape) leaks.push({ file, line: i + 1, what: shape });
    });
  }
  return leaks;
}

export function describeLeaks(leaks: Leak[]): string {
  return `secrets in the log: ${leaks.map((l) => `${l.what} at ${l.file}:${l.line}`).join('; ')}`;
}
