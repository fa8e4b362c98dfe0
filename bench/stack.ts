/**
 * What every benchmark stands on: the same services `npm start` would use (or DATABASE_URL / ENGINE_URL), a fresh
 * database with the real migrations, the demo tenant seeded and the baseline processes deployed.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import { loadConfig, type Config } from '../server/config.ts';
import { createDb, type Db } from '../server/db/client.ts';
import { runMigrations } from '../server/db/migrate.ts';
import { startInfrastructure, type Infrastructure } from '../server/embedded/infrastructure.ts';
import { EngineClient } from '../server/engine/client.ts';
import { deployBaseline } from '../server/engine/deploy-processes.ts';
import { seedDemo } from '../server/seed/demo.ts';

export interface BenchStack {
  config: Config;
  infra: Infrastructure;
  db: Db;
  engine: EngineClient;
  demoTenantId: string;
  close(): Promise<void>;
}

export async function startBenchStack(): Promise<BenchStack> {
  const config = loadConfig({
    ...process.env,
    DATA_DIR: process.env.DATA_DIR ?? path.resolve('.data/bench'),
  });
  const infra = await startInfrastructure(
    config,
    { info: () => {}, warn: (m: string) => console.warn(m) },
    { pgPort: 54349, enginePort: 18280, smtpPort: 2725, imapPort: 1343, engineDatabase: 'engine_bench' },
  );
  const dbName = `bench_${randomBytes(4).toString('hex')}`;
  const adminUrl = new URL(infra.databaseUrl);
  adminUrl.pathname = '/postgres';
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(infra.databaseUrl);
  url.pathname = `/${dbName}`;
  await runMigrations(url.toString());
  const { db, sql } = createDb(url.toString(), { max: 20 });
  const engine = new EngineClient({
    url: infra.engineUrl,
    user: infra.engineUser,
    password: infra.enginePassword,
  });
  const { demoTenantId } = await seedDemo(db, 'http://localhost');
  await deployBaseline(engine, demoTenantId);
  return {
    config,
    infra,
    db,
    engine,
    demoTenantId,
    async close() {
      await sql.end();
      await admin.unsafe(`drop database if exists ${dbName} with (force)`);
      await admin.end();
      await infra.stop();
    },
  };
}
