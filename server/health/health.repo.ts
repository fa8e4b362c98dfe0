import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

/** One round trip to PostgreSQL on the app's pool: the pool can hand out a connection and the server answers. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}
