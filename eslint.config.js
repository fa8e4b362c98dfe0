import js from '@eslint/js';
import regexp from 'eslint-plugin-regexp';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.name='fetch'], MemberExpression[property.name='fetch'][object.name='globalThis']",
          message:
            'No fetch outside server/engine: the engine is called through EngineClient (add a file to the allow-list in eslint.config.js only with the reason).',
        },
      ],
    },
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
