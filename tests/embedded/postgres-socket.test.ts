import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../server/db/client.ts';
import { startEmbeddedPostgres, type EmbeddedPg } from '../../server/embedded/postgres.ts';
import { freePort } from '../helpers/ports.ts';

/**
 * The embedded PostgreSQL offers a Unix socket in its cluster folder, and the app's connections use it (the loopback
 * TCP stack was a quarter of the API's time per registration, bench/README.md); a folder whose path is too long for
 * a socket falls back to TCP alone, and everything still connects.
 */
describe('the embedded PostgreSQL over its Unix socket', () => {
  const dirs: string[] = [];
  const servers: EmbeddedPg[] = [];
  const quiet = { info() {} };
  /** A data folder the postgres user can reach when tests run as root (so the cluster stays where it is asked). */
  const folder = (...inside: string[]) => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'pg-socket-'));
    chmodSync(base, 0o755);
    dirs.push(base);
    const dir = path.join(base, ...inside);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    for (let d = dir; d !== base; d = path.dirname(d)) chmodSync(d, 0o755);
    return dir;
  };
  afterAll(async () => {
    for (const s of servers) await s.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Where the statement arrived from: null over a Unix socket, the client's address over TCP. */
  const peerOf = async (url: string, socket: string | null) => {
    const { sql } = createDb(url, { max: 1, scoped: false, socket });
    try {
      const [row] = await sql<Array<{ addr: string | null }>>`select host(inet_client_addr()) as addr`;
      return row!.addr;
    } finally {
      await sql.end();
    }
  };

  it('listens on a socket in its cluster folder, and a connection given that socket uses it', async () => {
    const pg = await startEmbeddedPostgres({ dataDir: folder('short'), port: await freePort(), log: quiet });
    servers.push(pg);
    expect(pg.socketPath).not.toBeNull();
    expect(existsSync(pg.socketPath!)).toBe(true);
    expect(pg.socketPath!.startsWith(pg.dataDir)).toBe(true);
    expect(await peerOf(pg.adminUrl, pg.socketPath)).toBeNull();
    // TCP stays open for the engine's JDBC driver and the tools.
    expect(await peerOf(pg.adminUrl, null)).toBe('127.0.0.1');
  });

  it('keeps to TCP when the folder is too deep for a socket path (at most 107 bytes)', async () => {
    const deep = folder(...Array.from({ length: 5 }, (_, i) => `${'x'.repeat(20)}-${i}`));
    const pg = await startEmbeddedPostgres({ dataDir: deep, port: await freePort(), log: quiet });
    servers.push(pg);
    expect(Buffer.byteLength(path.join(pg.dataDir, '.s.PGSQL.5432'))).toBeGreaterThan(107);
    expect(pg.socketPath).toBeNull();
    expect(await peerOf(pg.adminUrl, pg.socketPath)).toBe('127.0.0.1');
  });
});
