/**
 * Two more checks of `npm run lint` (issue 14 items 6 and 9), each shown to fail on the mistake it exists for:
 * - scripts/check-long-files.ts: a server file past 300 lines says at its top why it is one file;
 * - `scripts/architecture-graph.ts --check`: the module picture committed in docs/architecture.md is the one the
 *   code draws now (on a copy of the page under .data/, so the real one is never written).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lineCount, longFileProblems, readServerFiles } from '../../scripts/check-long-files.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

describe('files of one purpose', () => {
  const code = (n: number) =>
    Array.from({ length: n }, (_, i) => `export const c${i} = ${i};`).join('\n') + '\n';

  it('fails on a server file past 300 lines with no reason at its top', () => {
    expect(lineCount(code(301))).toBe(301);
    expect(longFileProblems([{ path: 'server/beta/long.ts', text: code(301) }])).toEqual([
      'server/beta/long.ts: 301 lines and no reason at its top. Split it by what it does, or write ' +
        '"One file although past 300 lines: <why it is one job>" in its first 30 lines.',
    ]);
  });

  it('fails when the reason comes too late (after 30 lines of imports), passes when it is at the top', () => {
    const reason =
      '/**\n * Widgets. One file although past 300\n * lines: it is one table of widgets.\n */\n';
    const imports =
      Array.from({ length: 40 }, (_, i) => `import { x${i} } from './x${i}.ts';`).join('\n') + '\n';
    expect(
      longFileProblems([{ path: 'server/beta/late.ts', text: imports + reason + code(300) }]),
    ).toHaveLength(1);
    expect(longFileProblems([{ path: 'server/beta/top.ts', text: reason + imports + code(300) }])).toEqual(
      [],
    );
    // At 300 lines no reason is needed.
    expect(longFileProblems([{ path: 'server/beta/short.ts', text: code(300) }])).toEqual([]);
  });

  it('holds for the repository itself', () => {
    expect(longFileProblems(readServerFiles(root))).toEqual([]);
  });
});

describe('the architecture picture', () => {
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const graph = (...args: string[]) =>
    run(tsx, [path.join(root, 'scripts/architecture-graph.ts'), ...args], { cwd: root }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({
        code: err.code ?? 1,
        stdout: err.stdout ?? '',
        stderr: err.stderr ?? '',
      }),
    );

  it('--check fails on a stale picture, says how to redraw it and writes nothing', async () => {
    mkdirSync(path.join(root, '.data'), { recursive: true });
    const dir = mkdtempSync(path.join(root, '.data', 'architecture-'));
    try {
      const doc = path.join(dir, 'architecture.md');
      writeFileSync(doc, readFileSync(path.join(root, 'docs/architecture.md'), 'utf8'));
      // Redrawn from the code as it is now (that it then passes `--check` is what `npm run lint` shows on main).
      expect((await graph('--doc', doc)).code).toBe(0);
      // An arrow the code no longer draws (or a new one not drawn yet): the check fails, and writes nothing.
      const drawn = readFileSync(doc, 'utf8');
      const stale = drawn.replace('```mermaid\n', '```mermaid\n%% an arrow of yesterday\n');
      expect(stale).not.toBe(drawn);
      writeFileSync(doc, stale);
      const result = await graph('--check', '--doc', doc);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('the module picture is stale');
      expect(result.stderr).toContain('Run `npm run docs:architecture`');
      expect(readFileSync(doc, 'utf8')).toBe(stale);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
