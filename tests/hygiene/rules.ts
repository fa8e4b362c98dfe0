import ts from 'typescript';

/**
 * What a test must not do, checked on the syntax tree of every test file (tests/hygiene/test-hygiene.test.ts).
 * A lint rule would need a plugin for each of these; a test keeps them next to the tests they guard and runs in CI
 * with them.
 */
export interface Finding {
  file: string;
  line: number;
  rule: string;
  text: string;
}

/** Matchers that only ask whether a value exists or is truthy. */
const EXISTENCE_MATCHERS = new Set(['toBeDefined', 'toBeTruthy']);
/** Matchers comparing the value with an expected one. */
const EQUALITY_MATCHERS = new Set(['toBe', 'toEqual', 'toStrictEqual']);
/** Member calls or properties whose value is never undefined (a count, a status code, parsed JSON, a length). */
const ALWAYS_DEFINED_MEMBERS = new Set([
  'count',
  'json',
  'length',
  'statusCode',
  'inputValue',
  'innerText',
  'isVisible',
  'isChecked',
]);

const SLEEP_ALLOWED_IN = 'tests/helpers/wait.ts';
const TASK_HELPERS = 'tests/helpers/tasks.ts';
const BROWSER_HELPERS = 'tests/helpers/browser.ts';

function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  for (;;) {
    if (ts.isParenthesizedExpression(n) || ts.isAwaitExpression(n) || ts.isNonNullExpression(n))
      n = n.expression;
    else if (ts.isAsExpression(n) || ts.isSatisfiesExpression(n) || ts.isTypeAssertionExpression(n))
      n = n.expression;
    else return n;
  }
}

function isLiteral(node: ts.Expression): boolean {
  const n = unwrap(node);
  return (
    ts.isStringLiteral(n) ||
    ts.isNumericLiteral(n) ||
    ts.isNoSubstitutionTemplateLiteral(n) ||
    ts.isRegularExpressionLiteral(n) ||
    ts.isBigIntLiteral(n) ||
    n.kind === ts.SyntaxKind.TrueKeyword ||
    n.kind === ts.SyntaxKind.FalseKeyword ||
    n.kind === ts.SyntaxKind.NullKeyword ||
    (ts.isIdentifier(n) && n.text === 'undefined') ||
    (ts.isPrefixUnaryExpression(n) && ts.isNumericLiteral(n.operand))
  );
}

/**
 * An expression made of literals only, whatever operators join them: `1 === 1`, `!false`, `'a' + 'b'`. Its value
 * is known before the test runs, so an assertion over it cannot fail. (A list of literals is not one: it may be
 * what a value is looked up in, `expect([404, 409]).toContain(status)`.)
 */
function isConstant(node: ts.Expression): boolean {
  const n = unwrap(node);
  if (isLiteral(n)) return true;
  if (ts.isBinaryExpression(n))
    return n.operatorToken.kind !== ts.SyntaxKind.CommaToken && isConstant(n.left) && isConstant(n.right);
  if (ts.isPrefixUnaryExpression(n))
    return n.operator !== ts.SyntaxKind.PlusPlusToken && n.operator !== ts.SyntaxKind.MinusMinusToken
      ? isConstant(n.operand)
      : false;
  if (ts.isTypeOfExpression(n) || ts.isVoidExpression(n)) return isConstant(n.expression);
  if (ts.isConditionalExpression(n))
    return isConstant(n.condition) && isConstant(n.whenTrue) && isConstant(n.whenFalse);
  if (ts.isTemplateExpression(n)) return n.templateSpans.every((s) => isConstant(s.expression));
  return false;
}

/** Node's assert (and chai's): these check their first argument only; the second, if any, is a message. */
const ONE_VALUE_ASSERTS = new Set([
  'ok',
  'isOk',
  'isTrue',
  'isFalse',
  'isNotOk',
  'exists',
  'isDefined',
  'isNotNull',
]);

/** A value that exists whatever the code under test does. */
function alwaysDefined(node: ts.Expression): boolean {
  const n = unwrap(node);
  if (isLiteral(n) && n.kind !== ts.SyntaxKind.NullKeyword && !(ts.isIdentifier(n) && n.text === 'undefined'))
    return true;
  if (
    ts.isArrayLiteralExpression(n) ||
    ts.isObjectLiteralExpression(n) ||
    ts.isNewExpression(n) ||
    ts.isTemplateExpression(n) ||
    ts.isTypeOfExpression(n) ||
    ts.isArrowFunction(n) ||
    ts.isFunctionExpression(n)
  )
    return true;
  const member = ts.isCallExpression(n) ? n.expression : n;
  return ts.isPropertyAccessExpression(member) && ALWAYS_DEFINED_MEMBERS.has(member.name.text);
}

/** `expect(x)` (or `expect.soft(x)`, `expect(x, message)`), not `expect.poll`. */
function expectCall(node: ts.Node): ts.CallExpression | undefined {
  if (!ts.isCallExpression(node)) return undefined;
  const callee = node.expression;
  if (ts.isIdentifier(callee) && callee.text === 'expect') return node;
  if (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    callee.expression.text === 'expect' &&
    callee.name.text === 'soft'
  )
    return node;
  return undefined;
}

/** The matcher called on an expect(...) chain, skipping `.not`, `.resolves`, `.rejects`. */
function matcherOf(
  expectNode: ts.CallExpression,
): { name: string; call: ts.CallExpression; negated: boolean } | undefined {
  let node: ts.Node = expectNode;
  let negated = false;
  for (;;) {
    const parent = node.parent;
    if (!parent || !ts.isPropertyAccessExpression(parent) || parent.expression !== node) return undefined;
    const name = parent.name.text;
    if (name === 'not' || name === 'resolves' || name === 'rejects') {
      if (name === 'not') negated = !negated;
      node = parent;
      continue;
    }
    const call = parent.parent;
    if (call && ts.isCallExpression(call) && call.expression === parent) return { name, call, negated };
    return undefined;
  }
}

const normalized = (n: ts.Node, sf: ts.SourceFile) => n.getText(sf).replace(/\s+/g, '');

/**
 * A timer callback that only settles the promise: `() => r(x)`, `() => { r(x); }`, `function () { r(); }`.
 * Returns the name it calls.
 */
function onlyCalls(callback: ts.Expression): string | undefined {
  if (!ts.isArrowFunction(callback) && !ts.isFunctionExpression(callback)) return undefined;
  let body: ts.Expression;
  if (ts.isBlock(callback.body)) {
    const only = callback.body.statements.length === 1 ? callback.body.statements[0] : undefined;
    if (!only || !ts.isExpressionStatement(only)) return undefined;
    body = only.expression;
  } else body = callback.body;
  const call = unwrap(body);
  return ts.isCallExpression(call) && ts.isIdentifier(call.expression) ? call.expression.text : undefined;
}

/** Whether the `new Promise` whose executor declares `resolve` as its first parameter is awaited where it stands. */
function awaitedPromiseResolving(node: ts.Node, resolve: string): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.parent && ts.isNewExpression(n.parent)) {
      const ctor = n.parent.expression;
      const first = n.parameters[0];
      if (ts.isIdentifier(ctor) && ctor.text === 'Promise' && first && ts.isIdentifier(first.name)) {
        if (first.name.text !== resolve) continue;
        let outer: ts.Node = n.parent;
        while (
          outer.parent &&
          (ts.isParenthesizedExpression(outer.parent) ||
            ts.isAsExpression(outer.parent) ||
            ts.isSatisfiesExpression(outer.parent))
        )
          outer = outer.parent;
        return !!outer.parent && ts.isAwaitExpression(outer.parent);
      }
    }
  }
  return false;
}

/** The resolve parameter of the `new Promise((resolve) => …)` executor that `node` sits in, if any. */
function promiseResolveNames(node: ts.Node): Set<string> {
  const names = new Set<string>();
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n.parent && ts.isNewExpression(n.parent)) {
      const ctor = n.parent.expression;
      if (ts.isIdentifier(ctor) && ctor.text === 'Promise') {
        const first = n.parameters[0];
        if (first && ts.isIdentifier(first.name)) names.add(first.name.text);
      }
    }
  }
  return names;
}

export function checkSource(file: string, text: string): Finding[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const findings: Finding[] = [];
  const report = (node: ts.Node, rule: string) =>
    findings.push({
      file,
      line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
      rule,
      text: node.getText(sf).split('\n')[0]!.slice(0, 120),
    });

  const visit = (node: ts.Node) => {
    const exp = expectCall(node);
    if (exp) {
      const subject = exp.arguments[0];
      const matcher = matcherOf(exp);
      if (!matcher && ts.isExpressionStatement(exp.parent))
        report(exp, 'expect() without a matcher asserts nothing');
      if (subject && isConstant(subject)) report(exp, 'expect() on a constant cannot fail');
      if (subject && matcher) {
        const expected = matcher.call.arguments[0];
        if (
          EQUALITY_MATCHERS.has(matcher.name) &&
          !matcher.negated &&
          expected &&
          normalized(expected, sf) === normalized(subject, sf)
        )
          report(matcher.call, 'a value compared with itself cannot fail');
        const existence =
          (EXISTENCE_MATCHERS.has(matcher.name) && !matcher.negated) ||
          (matcher.name === 'toBeUndefined' && matcher.negated);
        if (existence && alwaysDefined(subject))
          report(matcher.call, 'this value always exists: assert what it is');
      }
    }

    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      // `assert(true)`, `assert.ok(1 === 1)`, `assert.equal(1, 1)`: node's assert over constants cannot fail.
      const assertion = ts.isIdentifier(callee)
        ? callee.text === 'assert' && ''
        : ts.isPropertyAccessExpression(callee) &&
          ts.isIdentifier(callee.expression) &&
          callee.expression.text === 'assert' &&
          callee.name.text;
      if (typeof assertion === 'string' && assertion !== 'fail') {
        const [value, other] = node.arguments;
        if (
          value &&
          isConstant(value) &&
          (!other || assertion === '' || ONE_VALUE_ASSERTS.has(assertion) || isConstant(other))
        )
          report(node, 'assert() on a constant cannot fail');
      }
      // Skipped, focused or postponed tests.
      if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        ['it', 'test', 'describe', 'suite'].includes(callee.expression.text) &&
        ['skip', 'only', 'todo', 'skipIf', 'runIf', 'fails'].includes(callee.name.text)
      )
        report(node, `${callee.expression.text}.${callee.name.text}: every test runs, always`);
      // A browser of its own: browser tests share one set-up (browserSuite). The first-hour test drives a fresh
      // clone's npm start, not the suite's app, and launches its browser for that.
      if (
        ts.isIdentifier(callee) &&
        callee.text === 'launchBrowser' &&
        !file.endsWith(BROWSER_HELPERS) &&
        !file.startsWith('tests/first-hour/')
      )
        report(node, 'browser tests share one set-up: browserSuite from tests/helpers/browser.ts');
      // Sleeps.
      if (!file.endsWith(SLEEP_ALLOWED_IN)) {
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'waitForTimeout')
          report(node, 'a sleep: wait for a condition (waitFor, a locator, reloadUntil)');
        if (ts.isIdentifier(callee) && callee.text === 'setTimeout') {
          const first = node.arguments[0];
          if (first && ts.isIdentifier(first) && promiseResolveNames(node).has(first.text))
            report(node, 'a sleep: wait for a condition (waitFor in tests/helpers/wait.ts)');
          // `await new Promise((r) => setTimeout(() => r(x), 300))`: a sleep that hands back a value. Not awaited
          // where it stands (a deadline raced against the awaited work) it is no sleep.
          const settles = first && onlyCalls(first);
          if (settles && awaitedPromiseResolving(node, settles))
            report(node, 'a sleep: wait for a condition (waitFor in tests/helpers/wait.ts)');
        }
      }
    }
    if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      /^(node:)?timers\/promises$/.test(node.moduleSpecifier.text) &&
      !file.endsWith(SLEEP_ALLOWED_IN)
    )
      report(node, 'a sleep: wait for a condition (waitFor in tests/helpers/wait.ts)');
    if (ts.isIdentifier(node) && node.text === 'eventually' && !ts.isPropertyAccessExpression(node.parent))
      report(node, 'one way to wait: waitFor from tests/helpers/wait.ts');

    // A local copy of the find/claim/complete helpers: a named function with parameters (a helper, not a test's
    // own body, which may well claim and complete one task to test exactly that), innermost one reported.
    if (
      !file.endsWith(TASK_HELPERS) &&
      (ts.isFunctionDeclaration(node) ||
        ts.isMethodDeclaration(node) ||
        ((ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
          ts.isVariableDeclaration(node.parent))) &&
      node.parameters.length > 0 &&
      claimsAndCompletes(node.getText(sf))
    )
      copies.push(node);
    ts.forEachChild(node, visit);
  };
  const copies: ts.Node[] = [];
  visit(sf);
  for (const c of copies)
    if (!copies.some((d) => d !== c && d.pos >= c.pos && d.end <= c.end))
      report(c, 'a copy of claimTask/completeTask: use tests/helpers/tasks.ts');
  return findings.sort((a, b) => a.line - b.line);
}

/** Claims a task and completes it through the API, the way tests/helpers/tasks.ts does. */
function claimsAndCompletes(text: string): boolean {
  return /\/api\/tasks\/\$\{[^}]+\}\/claim`/.test(text) && /\/api\/tasks\/\$\{[^}]+\}\/complete`/.test(text);
}
