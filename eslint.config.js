import js from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * A fetch by any name: a call of `fetch`, the global's `fetch` read off globalThis/window/self/global (also
 * `globalThis['fetch']`), or taken out of one by destructuring (`const { fetch: get } = globalThis`).
 */
const FETCH_SELECTOR = [
  "CallExpression[callee.name='fetch']",
  "MemberExpression[object.name=/^(globalThis|window|self|global)$/][property.name='fetch']",
  "MemberExpression[object.name=/^(globalThis|window|self|global)$/][property.value='fetch']",
  "VariableDeclarator[init.name=/^(globalThis|window|self|global)$/] > ObjectPattern > Property[key.name='fetch']",
  "VariableDeclarator[init.name='fetch']",
  "AssignmentExpression[right.name='fetch']",
].join(', ');

/** No fetch in server/ or scripts/ outside the engine door (see the blocks that use it). */
const NO_FETCH = {
  selector: FETCH_SELECTOR,
  message:
    'No fetch outside server/engine: the engine is called through EngineClient, the one door with its credentials, timeout, retries and error mapping; a stray fetch is how a second door starts (add a file to the allow-list in eslint.config.js only with the reason).',
};

/**
 * In the web app also SvelteKit's own fetch, which it hands every load function on its event: `event.fetch(…)`, any
 * `.fetch` read off an object (`x['fetch']` too), and a `fetch` taken out of one by destructuring, as the load's
 * parameter (`({ fetch }) =>`, `({ fetch: get }) =>`) or from the event (`const { fetch } = event`). The pages
 * have no other use for the name: the bridge (web/src/lib/server/api.ts) hands the SDK its fetch as `fetch:`.
 */
const WEB_FETCH_SELECTOR = [
  FETCH_SELECTOR,
  "MemberExpression[property.name='fetch']",
  "MemberExpression[property.value='fetch']",
  "ObjectPattern > Property[key.name='fetch']",
].join(', ');

/** No fetch in the web app (see the block that uses it). */
const NO_FETCH_WEB = {
  selector: WEB_FETCH_SELECTOR,
  message:
    'No fetch in the web app, nor the fetch SvelteKit hands a load function on its event: pages call the API through the SDK generated from its OpenAPI spec (web/src/lib/api/generated), on the server over apiClient (web/src/lib/server/api.ts, the in-process bridge), in the browser over browserClient; a hand-written fetch is a second contract beside the generated one, and only server/engine talks to the engine.',
};

/**
 * SQL as text (issue 14): `db.execute('…')`, `sql.unsafe(`…`)`, a string built with `+`, or a constant holding one.
 * drizzle's execute takes a plain string as readily as its sql`` tag, so a file could query any table without
 * importing drizzle (which dependency-cruiser watches) and without a template the table-owner check
 * (scripts/check-table-owners.ts) reads; and text carries its values inline instead of as bound parameters.
 */
const noSqlText = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      text: 'No SQL as text: queries live in repositories (*.repo.ts), built with drizzle or its sql`` tag, so each table keeps one owner that scripts/check-table-owners.ts can see and every value is a bound parameter. A plain or untagged string passed to execute/unsafe escapes both.',
    },
  },
  create(context) {
    /** Whether the expression is text: a string, an untagged template, a concatenation or a constant of one. */
    const isText = (node, scope, depth = 0) => {
      if (!node || depth > 4) return false;
      if (node.type === 'Literal') return typeof node.value === 'string';
      if (node.type === 'TemplateLiteral') return true;
      if (node.type === 'BinaryExpression' && node.operator === '+')
        return isText(node.left, scope, depth + 1) || isText(node.right, scope, depth + 1);
      if (node.type === 'TSAsExpression' || node.type === 'TSNonNullExpression')
        return isText(node.expression, scope, depth + 1);
      if (node.type === 'Identifier') {
        for (let s = scope; s; s = s.upper) {
          const v = s.set.get(node.name);
          if (!v) continue;
          const def = v.defs[0];
          return (
            def?.type === 'Variable' && def.parent?.kind === 'const' && isText(def.node.init, s, depth + 1)
          );
        }
      }
      return false;
    };
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression') return;
        const name = callee.computed ? callee.property.value : callee.property.name;
        if (name !== 'execute' && name !== 'unsafe') return;
        if (isText(node.arguments[0], context.sourceCode.getScope(node)))
          context.report({ node: node.arguments[0], messageId: 'text' });
      },
    };
  },
};

/**
 * No sql.raw outside server/db (issue 14): drizzle's sql.raw puts its text into the query as it is, so
 * `db.execute(sql.raw('update customers …'))` would write another module's table past both house/no-sql-text (the
 * argument of execute is no string) and the table-owner check (which reads the sql`` templates), and a value in the
 * text is no bound parameter. Refused whatever its argument (a string, a template, a constant or a variable), also
 * through a renamed import of drizzle's `sql` and as `const { raw } = sql`.
 */
const noSqlRaw = {
  meta: {
    type: 'problem',
    schema: [],
    messages: {
      raw: "No sql.raw outside server/db: its text goes into the query unchecked, so a write in it escapes the table-owner check (scripts/check-table-owners.ts) and house/no-sql-text, and a value in it is no bound parameter. Write the fragment with drizzle's sql`` tag (text without interpolations is the same SQL; values become parameters) in a repository; a constant fragment that must be inlined says why in an eslint-disable comment.",
    },
  },
  create(context) {
    /** The file's names for drizzle's sql tag: `sql`, and any alias it is imported under. */
    const sqlNames = new Set(['sql']);
    const isSql = (node) => node?.type === 'Identifier' && sqlNames.has(node.name);
    const isRaw = (key, computed) =>
      computed
        ? key.type === 'Literal' && key.value === 'raw'
        : key.type === 'Identifier' && key.name === 'raw';
    return {
      ImportSpecifier(node) {
        const from = node.parent.source.value;
        if (node.imported.name === 'sql' && typeof from === 'string' && from.startsWith('drizzle-orm'))
          sqlNames.add(node.local.name);
      },
      MemberExpression(node) {
        if (isSql(node.object) && isRaw(node.property, node.computed))
          context.report({ node, messageId: 'raw' });
      },
      VariableDeclarator(node) {
        if (!isSql(node.init) || node.id.type !== 'ObjectPattern') return;
        for (const p of node.id.properties)
          if (p.type === 'Property' && isRaw(p.key, p.computed))
            context.report({ node: p, messageId: 'raw' });
      },
    };
  },
};

/** The house's own rules (one plugin object: every block that names it must hand eslint the same one). */
const HOUSE = { rules: { 'no-sql-text': noSqlText, 'no-sql-raw': noSqlRaw } };

/**
 * One engine client per process (issue 14): EngineClient holds the engine's address and credentials, and the
 * composition roots build it once and hand it to the services. A client built anywhere else would be a second door
 * with its own credentials, timeout and retries, beside the one that is configured and watched.
 */
const ONE_ENGINE_CLIENT = {
  // Also through a namespace (`new engine.EngineClient`) or a renamed import, which would hide it from the first.
  selector:
    "NewExpression[callee.name='EngineClient'], NewExpression[callee.property.name='EngineClient'], ImportSpecifier[imported.name='EngineClient'][local.name!='EngineClient']",
  message:
    'One engine client per process: only the composition roots (server/main.ts, server/background/background-parts.ts, server/seed/demo-seed-cli.ts, scripts/, bench/, tests/) build an EngineClient, which holds the credentials; take the one you are given.',
};

/**
 * What no-restricted-syntax refuses in server/ outside the engine door and the composition roots. eslint's flat
 * config does not merge a rule's options: a later block that sets no-restricted-syntax for some of these files
 * replaces this list there, so such a block spreads it into its own (the server/codes block does) instead of
 * restating it, and tests/lint/boundaries.test.ts checks that every server file still refuses a fetch.
 */
const SERVER_SYNTAX = [NO_FETCH, ONE_ENGINE_CLIENT];

/** The composition roots that build the process's one EngineClient (scripts/, bench/ and tests/ may too). */
const ENGINE_CLIENT_ROOTS = [
  'server/main.ts',
  'server/background/background-parts.ts',
  'server/seed/demo-seed-cli.ts',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      '.data',
      'web/.svelte-kit',
      'web/build',
      'deploy/*/target',
      'test-results',
      'web/src/lib/api/generated',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // No pattern that can backtrack super-linearly (issue 13): the intake, the portal and the API run patterns on
    // text anyone can send. A pattern that is safe only because its input is trusted or capped says so in an
    // eslint-disable comment with the reason.
    plugins: { regexp },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'certain' }],
      'regexp/no-super-linear-move': [
        'error',
        { report: 'certain', ignoreSticky: false, ignorePartial: false },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    // One door to the engine (issue 14): only server/engine knows the engine's address and credentials and talks
    // to it, with one timeout, retry and error mapping. So outside server/engine nothing imports the external-task
    // client library (server/engine/external-tasks.ts runs it over EngineClient), and nothing in server/ calls
    // fetch: the product has no other HTTP client need, and a stray fetch is how a second engine door starts.
    // The server/codes block below sets no-restricted-syntax too, and so repeats this list (SERVER_SYNTAX) there.
    files: ['server/**/*.ts'],
    ignores: [
      // The door itself: EngineClient.request/requestText are the one fetch to the engine.
      'server/engine/**',
      // The embedded engine's launcher polls its unauthenticated /health until it is up, before any client
      // exists; it sends no credentials and calls nothing else.
      'server/embedded/engine-process.ts',
      // The composition roots: the same rules but one (the block below).
      ...ENGINE_CLIENT_ROOTS,
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'camunda-external-task-client-js',
              message: 'External tasks go through server/engine/external-tasks.ts (startExternalTasks).',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', ...SERVER_SYNTAX],
    },
  },
  {
    // The composition roots build the one EngineClient of their process; no fetch there either.
    files: ENGINE_CLIENT_ROOTS,
    rules: { 'no-restricted-syntax': ['error', NO_FETCH] },
  },
  {
    // The rest of the product builds no EngineClient either: the door itself (its tests may), the embedded engine's
    // launcher.
    files: ['server/engine/**/*.ts', 'server/embedded/engine-process.ts'],
    ignores: ['server/engine/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ONE_ENGINE_CLIENT] },
  },
  {
    // The web app, on the server (+page.server.ts, hooks, web/src/lib/server) and in the browser, calls the API
    // through the generated SDK and builds no EngineClient: no fetch of its own, to the API or anywhere else.
    // (The generated SDK itself, web/src/lib/api/generated, is ignored above: its client is the one fetch.)
    files: ['web/src/**/*.ts', 'web/src/**/*.svelte'],
    rules: { 'no-restricted-syntax': ['error', NO_FETCH_WEB, ONE_ENGINE_CLIENT] },
  },
  {
    // The command-line scripts talk to the engine through the EngineClient they build (they are composition roots),
    // never with a fetch of their own.
    files: ['scripts/**/*.ts', 'scripts/**/*.mjs', 'scripts/**/*.js'],
    ignores: [
      // The cluster's supervisor polls what it started itself, on 127.0.0.1: each app process's /readyz and
      // haproxy's stats page, to know when they are up and which are in rotation. Neither is the engine, and it
      // sends no credentials.
      'scripts/cluster/start-cluster.ts',
      'scripts/cluster/haproxy.ts',
    ],
    rules: { 'no-restricted-syntax': ['error', NO_FETCH] },
  },
  {
    // No SQL as text (noSqlText above), in repositories too: the queries are built with drizzle or its sql`` tag.
    files: ['server/**/*.ts', 'scripts/**/*.ts'],
    ignores: [
      // The database client itself: its transactions' own begin/set/commit on the driver's connection.
      'server/db/**',
      // Creates the application's database on the embedded server before any table exists (`create database`,
      // which takes no bound parameter; the name is the installation's own).
      'server/embedded/postgres.ts',
      // Tests set up and inspect the database as they need.
      '**/*.test.ts',
    ],
    plugins: { house: HOUSE },
    rules: { 'house/no-sql-text': 'error' },
  },
  {
    // No sql.raw (noSqlRaw above) outside server/db, in repositories too.
    files: ['server/**/*.ts', 'scripts/**/*.ts'],
    ignores: [
      // The database's own code: the schema's partial-index predicates are built from the code lists as SQL text
      // for the migrations (server/db/schema/cases.ts), and the client may build identifiers.
      'server/db/**',
      // Tests set up and inspect the database as they need (a table named by a variable, for one).
      '**/*.test.ts',
    ],
    plugins: { house: HOUSE },
    rules: { 'house/no-sql-raw': 'error' },
  },
  {
    // The web pages import server/codes (alias `$codes`) into the browser bundle: it must stay free of imports.
    // This rule's list replaces the server block's for these files, so it carries that list too (SERVER_SYNTAX):
    // no fetch and no EngineClient in server/codes either.
    files: ['server/codes/**'],
    // Its unit tests import what they check (and vitest); they never reach the browser.
    ignores: ['server/codes/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...SERVER_SYNTAX,
        {
          selector:
            'ImportDeclaration, ImportExpression, ExportAllDeclaration, ExportNamedDeclaration[source]',
          message: 'server/codes is shared with the web pages: no imports here.',
        },
      ],
    },
  },
  {
    // Tests read their own fixed text (a check on the output of a command or a page), never an attacker's.
    files: ['tests/**'],
    rules: { 'regexp/no-super-linear-backtracking': 'off', 'regexp/no-super-linear-move': 'off' },
  },
  {
    // Entry points and scripts print to the terminal on purpose.
    files: ['server/main.ts', 'server/db/migrate.ts', 'bench/**', 'scripts/**', 'tests/**'],
    rules: { 'no-console': 'off' },
  },
);
