import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * For the embedded default only: a secret generated once and kept in the data folder (mode 600), so access codes
 * and the engine credential survive restarts. Production gives them through the environment.
 */
export async function localSecret(dataDir: string, name: string): Promise<string> {
  const file = path.join(dataDir, 'secrets', name);
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  // The data folder stays reachable (services run as other users keep data under it); only secrets/ is private.
  await mkdir(dataDir, { recursive: true, mode: 0o755 });
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const value = randomBytes(32).toString('base64url');
  await writeFile(file, value + '\n', { mode: 0o600 });
  return value;
}

/**
 * What an operator's command (audit:verify, set-mailbox) connects with when the environment names nothing: the
 * embedded PostgreSQL and the app secret of the `npm start` that uses this data folder, as it keeps them. Never
 * creates a secret: a key made up here would not be the one the running system encrypts with.
 */
export function embeddedDefaults(
  env: NodeJS.ProcessEnv,
  config: { databaseUrl?: string | undefined; dataDir: string; embeddedPorts: { pg: number } },
): { databaseUrl: string; appSecret(): string } {
  return {
    databaseUrl:
      config.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${config.embeddedPorts.pg}/reclamatii`,
    appSecret() {
      if (env.APP_SECRET) return env.APP_SECRET;
      const file = path.join(config.dataDir, 'secrets', 'app-secret');
      if (existsSync(file)) return readFileSync(file, 'utf8').trim();
      throw new Error(
        `APP_SECRET is unset and ${file} does not exist: start the system once (npm start), or set APP_SECRET to the one it runs with`,
      );
    },
  };
}
