import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { createDb } from './client.ts';

export const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Any fixed number: the key of the session lock that lets one replica migrate at a time. */
const MIGRATION_LOCK = 7_215_004_211;

/**
 * Applies the committed migrations. Throws on failure: a failed migration must never look like success.
 * Replicas that start together queue on a session advisory lock (the pool has one connection, so the lock and
 * the migration share it); the later ones then find nothing left to apply.
 */
export async function runMigrations(url: string): Promise<void> {
  const { db, sql } = createDb(url, { max: 1, scoped: false });
  try {
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(db, { migrationsFolder });
  } finally {
    await sql.end(); // ending the session releases the lock, also after a failure
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required');
    process.exit(2);
  }
  runMigrations(url).then(
    () => console.log('migrations applied'),
    (err: unknown) => {
      console.error('migration failed:', err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
