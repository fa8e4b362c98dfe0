/**
 * What every benchmark stands on: the same services `npm start` would use (or DATABASE_URL / ENGINE_URL), a fresh
 * database with the real migrations, the app's database roles, the demo tenant seeded and the baseline processes
 * deployed.
 *
 * As in production (server/main.ts), migrations run as the owner and the app connects as its own roles
 * (server/db/roles.ts): `db` is the API's connection, `workersDb` the background thread's; both go through the
 * scoped client, so every number includes row-level security. Code the benchmarks call directly runs inside
 * `withTenant` / `withAllTenants`, as the request or the job that calls it in production would.
 *
 * Ports: 54349 (embedded PostgreSQL), 18280 (engine), 2725/1343 (mail), each plus BENCH_PORT_OFFSET (default 0),
 * so a benchmark can run beside tests or a `npm start` that hold the defaults.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import { loadConfig, type Config } from '../server/config.ts';
import { createDb, type Db } from '../server/db/client.ts';
import { runMigrations } from '../server/db/migrate.ts';
import { dropAppRoles, ensureAppRoles } from '../server/db/roles.ts';
import { startInfrastructure, type Infrastructure } from '../server/embedded/infrastructure.ts';
import { EngineClient } from '../server/engine/client.ts';
import { deployBaseline } from '../server/engine/deploy-processes.ts';
import { seedDemo } from '../server/seed/demo.ts';

export interface BenchStack {
  config: Config;
  infra: Infrastructure;
  /** The API's connection (its role, scoped). */
  db: Db;
  /** The background thread's connection (the workers role, scoped): mail intake, workers, sealer. */
  workersDb: Db;
  engine: EngineClient;
  demoTenantId: string;
  close(): Promise<void>;
}

/** BENCH_PORT_OFFSET from the environment (0 when unset). */
export function benchPortOffset(): number {
  const offset = Number(process.env.BENCH_PORT_OFFSET ?? 0);
  if (!Number.isInteger(offset) || offset < 0)
    throw new Error('BENCH_PORT_OFFSET must be a whole number ≥ 0');
  return offset;
}

export async function startBenchStack(): Promise<BenchStack> {
  const config = loadConfig({
    ...process.env,
    DATA_DIR: process.env.DATA_DIR ?? path.resolve('.data/bench'),
  });
  const offset = benchPortOffset();
  const infra = await startInfrastructure(
    config,
    { info: () => {}, warn: (m: string) => console.warn(m) },
    {
      pgPort: 54349 + offset,
      enginePort: 18280 + offset,
      smtpPort: 2725 + offset,
      imapPort: 1343 + offset,
      // One engine per database: a second run beside the first must not share its history tables.
      engineDatabase: offset ? `engine_bench_${offset}` : 'engine_bench',
    },
  );
  const dbName = `bench_${randomBytes(4).toString('hex')}`;
  const adminUrl = new URL(infra.databaseUrl);
  adminUrl.pathname = '/postgres';
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${dbName}`);
  const url = new URL(infra.databaseUrl);
  url.pathname = `/${dbName}`;
  await runMigrations(url.toString());
  const roles = await ensureAppRoles(url.toString(), infra.secret);
  const api = createDb(roles.api, { max: 20, socket: infra.databaseSocket });
  const workers = createDb(roles.workers, { max: 10, socket: infra.databaseSocket });
  const engine = new EngineClient({
    url: infra.engineUrl,
    user: infra.engineUser,
    password: infra.enginePassword,
  });
  const { demoTenantId } = await seedDemo(api.db, 'http://localhost');
  await deployBaseline(engine, demoTenantId);
  return {
    config,
    infra,
    db: api.db,
    workersDb: workers.db,
    engine,
    demoTenantId,
    async close() {
      await api.sql.end();
      await workers.sql.end();
      await admin.unsafe(`drop database if exists ${dbName} with (force)`);
      await admin.end();
      await dropAppRoles(adminUrl.toString(), dbName);
      await infra.stop();
    },
  };
}
