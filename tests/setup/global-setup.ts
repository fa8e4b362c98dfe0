import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../server/config.ts';
import { startInfrastructure, type Infrastructure } from '../../server/embedded/infrastructure.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    engineUrl: string;
    engineDatabaseUrl: string;
    engineUser: string;
    enginePassword: string;
    smtpUrl: string;
    imapHost: string;
    imapPort: number;
    appSecret: string;
    testDataDir: string;
  }
}

// TEST_PORT_OFFSET lets two test runs share a machine (e.g. two engineers' sessions).
const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
export const TEST_PORTS = {
  pg: 54339 + offset,
  engine: 18180 + offset,
  smtp: 2625 + offset,
  imap: 1243 + offset,
};

let infra: Infrastructure | undefined;
let engineDb: string | undefined;

/**
 * One real engine and one real mail server for the whole run; each test file makes its own database on the
 * PostgreSQL server (DATABASE_URL, else an embedded one) and its own tenants, so files never share state.
 */
export default async function setup(project: TestProject) {
  // Runs with different offsets keep separate mail folders (each run empties its own).
  const dataDir = path.resolve(offset ? `.data/test-${offset}` : '.data/test');
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    ENGINE_URL: '',
    SMTP_URL: '',
    APP_SECRET: randomBytes(24).toString('hex'),
  });
  engineDb = `engine_test_${randomBytes(4).toString('hex')}`;
  // The mail server keeps mail on disk; every run starts with empty mailboxes.
  rmSync(path.join(dataDir, 'mail'), { recursive: true, force: true });
  const log = {
    info: (m: string) => process.env.DEBUG_TESTS && console.log(m),
    warn: (m: string) => console.warn(m),
  };
  infra = await startInfrastructure(config, log, {
    pgPort: TEST_PORTS.pg,
    enginePort: TEST_PORTS.engine,
    smtpPort: TEST_PORTS.smtp,
    imapPort: TEST_PORTS.imap,
    engineDatabase: engineDb,
  });
  const admin = new URL(infra.databaseUrl);
  admin.pathname = '/postgres';
  project.provide('adminDatabaseUrl', admin.toString());
  project.provide('engineUrl', infra.engineUrl);
  project.provide('engineDatabaseUrl', infra.engineDatabaseUrl ?? '');
  project.provide('engineUser', infra.engineUser);
  project.provide('enginePassword', infra.enginePassword);
  project.provide('smtpUrl', infra.smtpUrl);
  project.provide('imapHost', infra.imap?.host ?? '127.0.0.1');
  project.provide('imapPort', infra.imap?.port ?? TEST_PORTS.imap);
  project.provide('appSecret', infra.secret);
  project.provide('testDataDir', dataDir);

  return async () => {
    const engine = infra;
    infra = undefined;
    // Stop the engine first (it holds connections), then drop its database, then stop PostgreSQL if ours.
    await engine?.stopEngine();
    const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`drop database if exists ${engineDb} with (force)`);
    } finally {
      await sql.end();
    }
    await engine?.stop();
  };
}
