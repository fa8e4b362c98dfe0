import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSource, type Finding } from './rules.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every TypeScript file of the tests, and the unit tests beside the server's code. */
function testFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string, keep: (f: string) => boolean) => {
    for (const e of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && e.name !== 'fixtures') walk(rel, keep);
      } else if (keep(rel)) out.push(rel);
    }
  };
  // The rules' own examples below are strings, not code: this file is checked like the others.
  walk('tests', (f) => f.endsWith('.ts'));
  walk('server', (f) => f.endsWith('.test.ts'));
  return out.sort();
}

const show = (fs: Finding[]) => fs.map((f) => `${f.file}:${f.line} ${f.rule}: ${f.text}`);

/**
 * Issue 14 item 7: tests that help. No assertion that cannot fail, no sleep, no skipped or focused test, one way
 * to wait, one copy of the task helpers and one browser set-up, in every test file (a grep would miss a line
 * break; the syntax tree does not).
 */
describe('test hygiene', () => {
  it('every test file keeps the rules', () => {
    const files = testFiles();
    expect(files.length).toBeGreaterThan(100);
    const findings = files.flatMap((f) => checkSource(f, readFileSync(path.join(ROOT, f), 'utf8')));
    expect(show(findings)).toEqual([]);
  });

  // The rules themselves, on examples of what each is for: a rule that never fires would let everything through.
  const rulesOf = (code: string, file = 'tests/api/example.test.ts') =>
    checkSource(file, code).map((f) => f.rule);

  it('refuses assertions that cannot fail', () => {
    expect(rulesOf('expect(true).toBe(true);')).toEqual([
      'expect() on a constant cannot fail',
      'a value compared with itself cannot fail',
    ]);
    expect(rulesOf('expect(1).toBe(1);')).toContain('expect() on a constant cannot fail');
    expect(rulesOf("expect('x', 'why').toBeTruthy();")).toContain('expect() on a constant cannot fail');
    // An expression of literals only is a constant too.
    expect(rulesOf('expect(1 === 1).toBe(true);')).toEqual(['expect() on a constant cannot fail']);
    expect(rulesOf("expect(!false && 'a' + 'b' === 'ab').toBeTruthy();")).toEqual([
      'expect() on a constant cannot fail',
    ]);
    // A list of literals may be what a value is looked up in.
    expect(rulesOf('expect([404, 409]).toContain(res.statusCode);')).toEqual([]);
    expect(rulesOf('expect(`${2 * 3}`).toBe("6");')).toEqual(['expect() on a constant cannot fail']);
    // node's assert over constants.
    const assertConstant = 'assert() on a constant cannot fail';
    expect(rulesOf('assert(true);')).toEqual([assertConstant]);
    expect(rulesOf("assert.ok(true, 'always');")).toEqual([assertConstant]);
    expect(rulesOf('assert.ok(1 === 1);')).toEqual([assertConstant]);
    expect(rulesOf('assert.equal(1, 1);')).toEqual([assertConstant]);
    expect(rulesOf("assert.strictEqual(res.statusCode, 200, 'status');")).toEqual([]);
    expect(rulesOf('assert.equal(200, res.statusCode);')).toEqual([]);
    expect(rulesOf('assert(found);')).toEqual([]);
    expect(rulesOf("assert.fail('unreachable');")).toEqual([]);
    expect(rulesOf('expect(res.statusCode);')).toEqual(['expect() without a matcher asserts nothing']);
    expect(rulesOf('expect(a.b).toEqual(a.b);')).toEqual(['a value compared with itself cannot fail']);
    expect(rulesOf('expect(await rows.count()).toBeDefined();')).toEqual([
      'this value always exists: assert what it is',
    ]);
    expect(rulesOf('expect(res.json()).not.toBeUndefined();')).toEqual([
      'this value always exists: assert what it is',
    ]);
    expect(rulesOf('expect([found]).toBeTruthy();')).toEqual(['this value always exists: assert what it is']);
    // What can fail passes.
    expect(rulesOf('expect(res.statusCode).toBe(200);')).toEqual([]);
    expect(rulesOf('expect(found).toBeDefined();')).toEqual([]);
    expect(rulesOf('expect(a).not.toBe(a);')).toEqual([]);
    expect(rulesOf('await expect.poll(() => rows.count()).toBe(2);')).toEqual([]);
    expect(rulesOf('expect(await rows.count()).toBeGreaterThan(0);')).toEqual([]);
  });

  it('refuses sleeps, except inside tests/helpers/wait.ts', () => {
    const sleep = 'a sleep: wait for a condition (waitFor in tests/helpers/wait.ts)';
    expect(rulesOf('await new Promise((r) => setTimeout(r, 300));')).toEqual([sleep]);
    expect(rulesOf('await new Promise<void>((done) => { setTimeout(done, 300); });')).toEqual([sleep]);
    expect(rulesOf("import { setTimeout as sleep } from 'node:timers/promises';")).toEqual([sleep]);
    // A sleep that hands back a value, however the callback is written.
    expect(rulesOf('await new Promise((r) => setTimeout(() => r(x), 300));')).toEqual([sleep]);
    expect(
      rulesOf("async () => (await (new Promise((done) => { setTimeout(() => { done('v'); }, 50); })));"),
    ).toEqual([sleep]);
    expect(rulesOf('await new Promise(function (r) { setTimeout(function () { r(); }, 300); });')).toEqual([
      sleep,
    ]);
    expect(rulesOf('await page.waitForTimeout(500);')).toEqual([
      'a sleep: wait for a condition (waitFor, a locator, reloadUntil)',
    ]);
    expect(rulesOf('await new Promise((r) => setTimeout(r, 300));', 'tests/helpers/wait.ts')).toEqual([]);
    // A deadline is no sleep: nothing waits for it unless the awaited thing is late.
    expect(rulesOf("const late = new Promise((r) => setTimeout(() => r('late'), 5000));")).toEqual([]);
    expect(
      rulesOf("await Promise.race([work, new Promise((r) => setTimeout(() => r('late'), 5000))]);"),
    ).toEqual([]);
    // A timer that does more than settle the promise is not a bare sleep.
    expect(rulesOf('await new Promise((r) => setTimeout(() => { poke(); r(); }, 10));')).toEqual([]);
  });

  it('refuses skipped, focused and postponed tests', () => {
    for (const call of ['it.skip', 'it.only', 'describe.skip', 'test.todo', 'it.skipIf(ci)', 'describe.only'])
      expect(rulesOf(`${call}('x', () => {});`), call).toHaveLength(1);
  });

  it('refuses a browser set up by hand outside the shared fixture', () => {
    const own = 'browser = await launchBrowser();';
    expect(rulesOf(own, 'tests/browser/example.test.ts')).toEqual([
      'browser tests share one set-up: browserSuite from tests/helpers/browser.ts',
    ]);
    expect(rulesOf(own, 'tests/helpers/browser.ts')).toEqual([]);
    expect(rulesOf(own, 'tests/first-hour/fresh-clone.test.ts')).toEqual([]);
  });

  it('refuses a second way to wait and a copy of the task helpers', () => {
    expect(rulesOf('await eventually(() => ready());')).toEqual([
      'one way to wait: waitFor from tests/helpers/wait.ts',
    ]);
    const copy = `
      async function complete(headers, number, name, payload) {
        const task = await taskFor(headers, number, name);
        await t.app.inject({ method: 'POST', url: \`/api/tasks/\${task.id}/claim\`, headers });
        await t.app.inject({ method: 'POST', url: \`/api/tasks/\${task.id}/complete\`, headers, payload });
      }`;
    expect(rulesOf(copy)).toEqual(['a copy of claimTask/completeTask: use tests/helpers/tasks.ts']);
    expect(rulesOf(copy, 'tests/helpers/tasks.ts')).toEqual([]);
  });
});
