import { defineConfig } from 'vitest/config';

const seed = Number(process.env.TEST_SEED ?? Date.now() % 1_000_000);
console.warn(`test order: TEST_SEED=${seed}`);

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'tests/**/*.test.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    pool: 'forks',
    // Files and the tests inside them run in a random order (as `vitest --sequence.shuffle`), so a test that needs
    // another to have run first fails now, not one day (each file makes its own database and tenants). A file that
    // is one story told in steps (register, then triage, then answer) says so with `{ shuffle: false }` on its
    // describe. The seed is printed; TEST_SEED=<n> repeats an order.
    sequence: { shuffle: true, seed },
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
  },
});
