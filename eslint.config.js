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
    // The web pages import server/codes (alias `$codes`) into the browser bundle: it must stay free of imports.
    files: ['server/codes/**'],
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
