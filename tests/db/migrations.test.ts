import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { migrationsFolder, runMigrations } from '../../server/db/migrate.ts';

describe('runMigrations', () => {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `t_mig_${randomBytes(4).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;

  afterAll(async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('lets replicas that start together migrate a fresh database once, without failing', async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();

    const results = await Promise.allSettled([1, 2, 3].map(() => runMigrations(url.toString())));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);

    const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    const db = postgres(url.toString(), { max: 1, onnotice: () => {} });
    const [row] = await db`select count(*)::int as n from drizzle.__drizzle_migrations`;
    await db.end();
    expect(row?.n).toBe(journal.entries.length);
  });
});
