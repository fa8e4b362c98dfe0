import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
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
