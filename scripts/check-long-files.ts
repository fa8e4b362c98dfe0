/**
 * Files of one purpose (issue 14 item 6): a server file past 300 lines says at its top why it stays one file, in
 * the house's words, "One file although past N lines: <the reason>", within its first 30 lines, where a reader
 * opening it sees it before the code. A long file is often two jobs in one, each harder to read, test and change
 * alone; the sentence makes whoever lets a file grow past that decide it is one job, and say why, or split it by
 * what it does. `npm run lint` runs it; tests/lint/house-checks.test.ts proves it fails on a long file with no reason.
 *
 * Checked: every .ts file under server/ but tests (*.test.ts) and declarations (*.d.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Past this many lines a file needs its reason. */
export const MAX_LINES = 300;
/** The reason must start within this many lines of the top. */
export const HEAD_LINES = 30;
/** The house's sentence; it may wrap over comment lines (`One file although past 300\n * lines: …`). */
const REASON = /\bOne file although past \d+ lines\b/;

export interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

/** How many lines the file has, as `wc -l` counts them when it ends with a newline. */
export function lineCount(text: string): number {
  if (!text) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Whether the reason is written within the file's first HEAD_LINES lines (comment markers and wraps ignored). */
function hasReasonAtTop(text: string): boolean {
  const head = text
    .split('\n')
    .slice(0, HEAD_LINES)
    .map((line) => line.replace(/^\s*(?:\/\*\*?|\*\/|\*|\/\/)?/, '').trim())
    .join(' ');
  return REASON.test(head);
}

export function longFileProblems(files: SourceFile[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    const n = lineCount(f.text);
    if (n > MAX_LINES && !hasReasonAtTop(f.text))
      problems.push(
        `${f.path}: ${n} lines and no reason at its top. Split it by what it does, or write ` +
          `"One file although past ${MAX_LINES} lines: <why it is one job>" in its first ${HEAD_LINES} lines.`,
      );
  }
  return problems;
}

function filesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...filesUnder(root, rel));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out.sort();
}

/** The server's source files, as the check reads them. */
export function readServerFiles(root: string): SourceFile[] {
  return filesUnder(root, 'server').map((p) => ({ path: p, text: readFileSync(path.join(root, p), 'utf8') }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const problems = longFileProblems(readServerFiles(root));
  if (problems.length) {
    console.error(
      `Files of one purpose (issue 14): ${problems.length} server file(s) past ${MAX_LINES} lines say not why. ` +
        'A long file is often two jobs in one, each harder to read, test and change alone.',
    );
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log(`Long files: every server file past ${MAX_LINES} lines says at its top why it is one file.`);
}
