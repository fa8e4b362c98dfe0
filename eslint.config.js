import js from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** No fetch in server/ outside the engine door (see the block that uses it). */
const NO_FETCH = {
  selector:
    "CallExpression[callee.name='fetch'], MemberExpression[property.name='fetch'][object.name='globalThis']",
  message:
    'No fetch outside server/engine: the engine is called through EngineClient (add a file to the allow-list in eslint.config.js only with the reason).',
};

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
    // Before the server/codes block, whose own no-restricted-syntax replaces this one for those files.
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
      'no-restricted-syntax': ['error', NO_FETCH, ONE_ENGINE_CLIENT],
    },
  },
  {
    // The composition roots build the one EngineClient of their process; no fetch there either.
    files: ENGINE_CLIENT_ROOTS,
    rules: { 'no-restricted-syntax': ['error', NO_FETCH] },
  },
  {
    // The rest of the product builds no EngineClient either: the door itself (its tests may), the embedded engine's
    // launcher, the pages.
    files: [
      'server/engine/**/*.ts',
      'server/embedded/engine-process.ts',
      'web/src/**/*.ts',
      'web/src/**/*.svelte',
    ],
    ignores: ['server/engine/**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ONE_ENGINE_CLIENT] },
  },
  {
    // The web pages import server/codes (alias `$codes`) into the browser bundle: it must stay free of imports.
    files: ['server/codes/**'],
    // Its unit tests import what they check (and vitest); they never reach the browser.
    ignores: ['server/codes/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
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
