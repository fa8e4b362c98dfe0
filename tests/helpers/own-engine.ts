import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';
import { ensureDatabase } from '../../server/embedded/postgres.ts';
import { startEngine } from '../../server/embedded/engine-process.ts';

/**
 * An engine of the test file's own, on a fresh engine database, that the test may stop and start again (the
 * shared engine of the other test files must never stop). `url` and `credentials` go to createTestContext.
 */
export interface OwnEngine {
  url: string;
  credentials: { user: string; password: string };
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function ownEngine(port: number, databasePrefix: string): Promise<OwnEngine> {
  const admin = new URL(inject('adminDatabaseUrl'));
  const name = `${databasePrefix}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(admin.toString(), name);
  const credentials = { user: 'reclamatii', password: randomBytes(12).toString('hex') };
  let stopEngine: (() => Promise<void>) | undefined;

  return {
    url: `http://127.0.0.1:${port}/engine-rest`,
    credentials,
    async start() {
      if (stopEngine) return;
      const e = await startEngine({
        jdbcUrl: `jdbc:postgresql://${admin.hostname}:${admin.port || '5432'}/${name}`,
        dbUser: decodeURIComponent(admin.username || 'postgres'),
        dbPassword: decodeURIComponent(admin.password),
        port,
        restUser: credentials.user,
        restPassword: credentials.password,
        log: { info() {}, warn() {} },
        logFile: path.join(inject('testDataDir'), 'logs', `engine-${port}.log`),
      });
      stopEngine = () => e.stop();
    },
    async stop() {
      const stop = stopEngine;
      stopEngine = undefined;
      await stop?.();
    },
  };
}
