import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    pool: 'forks',
    // Files, and the tests in each, run in a random order (a new seed each run; vitest prints it, and
    // --sequence.seed=<n> repeats it): a test that needs another to have run first fails now, not one day.
    sequence: { shuffle: true },
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
  },
});
