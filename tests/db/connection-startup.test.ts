import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';

/**
 * postgres.js runs a query of its own on every new connection (the array types) and drops that promise, so when the
 * backend cancels or terminates it while the connection starts (a failover, a `drop database … with (force)`, a
 * statement timeout), the rejection had no handler and Node ended the process. patches/postgres+3.4.9.patch (applied
 * by `npm ci`'s postinstall) handles it; the query that waited for the connection still fails on its own terms.
 */
describe('a connection that fails while it starts', () => {
  it('fails the waiting query and leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      // A statement timeout of 1 ms, set at the handshake, cancels the library's own types query every time.
      const sql = postgres(inject('adminDatabaseUrl'), {
        max: 1,
        connection: { statement_timeout: 1 },
        onnotice: () => {},
      });
      const failures: string[] = [];
      for (let i = 0; i < 3; i++) {
        await sql`select pg_sleep(0.01)`.catch((err: { code?: string }) => failures.push(String(err.code)));
      }
      await sql.end();
      // Unhandled rejections are reported after the microtask queue drains: give it a turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(failures).toEqual(['57014', '57014', '57014']);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', listener);
    }
  });
});
