/**
 * The measuring every benchmark shares: command-line numbers, percentiles, a closed-loop load of N operations
 * by C concurrent callers, and a throw-away database for the benchmarks that need only PostgreSQL.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import postgres from 'postgres';
import { loadConfig } from '../server/config.ts';
import { runMigrations } from '../server/db/migrate.ts';
import { dropAppRoles, ensureAppRoles, type AppDatabaseUrls } from '../server/db/roles.ts';
import { startEmbeddedPostgres } from '../server/embedded/postgres.ts';

/** `--name 123` on the command line, else the fallback. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The p-th percentile (nearest rank) of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** `p50 … ms  p95 … ms  p99 … ms`. */
export function percentiles(ms: number[], digits = 1): string {
  const at = (p: number) => percentile(ms, p).toFixed(digits);
  return `p50 ${at(50)} ms  p95 ${at(95)} ms  p99 ${at(99)} ms`;
}

/** What a closed-loop run measured: operations per second and the 95th percentile latency (ms). */
export interface Throughput {
  rate: number;
  p95: number;
}

/** Runs `one(i)` for i < n with c callers at a time; prints and returns throughput and latency. */
export async function runConcurrent(
  label: string,
  n: number,
  c: number,
  one: (i: number) => Promise<void>,
): Promise<Throughput> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        const s = performance.now();
        await one(i);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const rate = n / seconds;
  console.log(
    `${label.padEnd(34)} ${n} in ${seconds.toFixed(2)} s = ${rate.toFixed(1)}/s   ${percentiles(latencies)}`,
  );
  return { rate, p95: percentile(latencies, 95) };
}

/**
 * A fresh database named `<prefix>_<random>` on DATABASE_URL's server, else on an embedded PostgreSQL (port 54349
 * plus BENCH_PORT_OFFSET); dropped by `drop()` with the app's roles for it (if `appRoles` made them) unless `keep`
 * (then its name is printed, to EXPLAIN queries by hand).
 */
export async function benchDatabase(
  prefix: string,
  keep = false,
): Promise<{ url: string; drop(): Promise<void> }> {
  const config = loadConfig({
    ...process.env,
    DATA_DIR: process.env.DATA_DIR ?? path.resolve('.data/bench'),
  });
  let adminUrl: string;
  let stop = async () => {};
  if (config.databaseUrl) {
    const u = new URL(config.databaseUrl);
    u.pathname = '/postgres';
    adminUrl = u.toString();
  } else {
    const port = 54349 + Number(process.env.BENCH_PORT_OFFSET ?? 0);
    const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port, log: { info: () => {} } });
    adminUrl = pg.adminUrl;
    stop = () => pg.stop();
  }
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      if (keep) console.log(`kept database ${name}`);
      else {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await dropAppRoles(adminUrl, name);
      }
      await admin.end();
      await stop();
    },
  };
}

/**
 * Migrates a bench database as its owner and gives it the app's roles, as `npm start` does (server/main.ts): the
 * API's and the workers' URLs, so that what a benchmark measures passes row-level security like the app.
 */
export async function appRoles(ownerUrl: string): Promise<AppDatabaseUrls> {
  await runMigrations(ownerUrl);
  return ensureAppRoles(ownerUrl, randomBytes(32).toString('hex'));
}

/** `--cpu-profile <file>`: a V8 CPU profile of this process between the call and `stop()` (bench/README.md). */
export async function profileIf(file: string | undefined, what: string): Promise<{ stop(): Promise<void> }> {
  if (!file) return { stop: async () => {} };
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 500 });
  await post('Profiler.start');
  return {
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`CPU profile of ${what}: ${file}`);
    },
  };
}
