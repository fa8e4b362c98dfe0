import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait.ts';
import { freePort } from '../helpers/ports.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Ports of the clone's system, free now: apart from the test run's own services, from a developer's npm start and
 * from another test run on the machine, whatever its TEST_PORT_OFFSET (fixed offsets collided).
 */
export async function clonePorts() {
  const [PORT, EMBEDDED_PG_PORT, EMBEDDED_ENGINE_PORT, EMBEDDED_SMTP_PORT, EMBEDDED_IMAP_PORT] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  if (
    new Set([PORT, EMBEDDED_PG_PORT, EMBEDDED_ENGINE_PORT, EMBEDDED_SMTP_PORT, EMBEDDED_IMAP_PORT]).size < 5
  )
    return clonePorts();
  return { PORT, EMBEDDED_PG_PORT, EMBEDDED_ENGINE_PORT, EMBEDDED_SMTP_PORT, EMBEDDED_IMAP_PORT };
}
export type ClonePorts = Awaited<ReturnType<typeof clonePorts>>;

/**
 * A checkout as a newcomer gets it: the committed tree (git archive HEAD) in a folder of mode 700 whose path has
 * a space. node_modules, the built pages and the engine jar are copied from this checkout instead of installed and
 * built again: CI has just run `npm ci` and built both, and the copies keep their times, so nothing is stale.
 */
export function makeClone(): { root: string; dir: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'first-hour-'));
  chmodSync(root, 0o700);
  const dir = path.join(root, 'my checkout');
  mkdirSync(dir);
  const archive = spawnSync(
    '/bin/sh',
    ['-c', 'git -C "$1" archive --format=tar HEAD | tar -x -C "$2"', 'sh', REPO, dir],
    {
      encoding: 'utf8',
    },
  );
  if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr}`);
  // The sources as old as a clone's that was built once: the copied builds below must not count as stale.
  spawnSync('find', [dir, '-exec', 'touch', '-h', '-d', '2000-01-01', '{}', '+']);
  for (const part of ['node_modules', 'web/build', 'deploy/engine/target/engine.jar']) {
    const from = path.join(REPO, part);
    if (existsSync(from))
      cpSync(from, path.join(dir, part), {
        recursive: true,
        preserveTimestamps: true,
        verbatimSymlinks: true,
      });
  }
  return { root, dir };
}

/** Where the embedded PostgreSQL keeps a cluster it could not keep in .data/ (server/embedded/postgres.ts). */
export function movedClusterDir(dir: string): string {
  const wanted = path.resolve(dir, '.data', 'pg');
  return path.join('/var/lib/reclamatii', createHash('sha256').update(wanted).digest('hex').slice(0, 12));
}

export interface Running {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

/** The environment of a newcomer's shell: none of the test run's service URLs, only the clone's ports. */
export function newcomerEnv(ports: ClonePorts): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env))
    if (
      /^(DATABASE_URL|ENGINE_|SMTP_URL|APP_SECRET|DATA_DIR|PUBLIC_URL|INTAKE_|MAIL_|EMBEDDED_|NODE_ENV|VITEST|TEST_)/.test(
        key,
      )
    )
      delete env[key];
  for (const [k, v] of Object.entries(ports)) env[k] = String(v);
  return env;
}

/** `npm start` in the clone, in its own process group; resolves once it printed its banner (or fails with its output). */
export async function npmStart(dir: string, ports: ClonePorts, timeoutMs = 8 * 60_000): Promise<Running> {
  const child = spawn('npm', ['start'], {
    cwd: dir,
    env: newcomerEnv(ports),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Up when it printed its banner; over when it exited first (or never got there).
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  await waitFor(() => out.includes('Ctrl-C stops everything') || ended(), {
    timeoutMs,
    what: 'the npm start banner',
  }).catch(() => undefined);
  if (out.includes('Ctrl-C stops everything')) return { child, output: () => out, exited };
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    /* gone */
  }
  throw new Error(`npm start did not come up (exit ${child.exitCode}):\n${out.slice(-4000)}`);
}

/** The pid of the process listening on a TCP port of 127.0.0.1 (Linux: from /proc/net/tcp and the fds). */
export function listenerPid(port: number): number | null {
  const r = spawnSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  const m = /pid=(\d+)/.exec(r.stdout ?? '');
  return m ? Number(m[1]) : null;
}

/** Ctrl-C as a terminal sends it (SIGINT to the group); waits for the end, then kills what is left. */
export async function stopGroup(run: Running, graceMs = 60_000): Promise<void> {
  try {
    process.kill(-run.child.pid!, 'SIGINT');
  } catch {
    return;
  }
  const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), graceMs).unref());
  if ((await Promise.race([run.exited, timer])) === 'late') {
    try {
      process.kill(-run.child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

export function removeClone(root: string, dir: string): void {
  rmSync(movedClusterDir(dir), { recursive: true, force: true });
  rmSync(root, { recursive: true, force: true });
}

/** The ```sh blocks of README.md, in order. */
export function readmeShellBlocks(): string[] {
  const text = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const blocks: string[] = [];
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    if (current === null && line.trim() === '```sh') current = [];
    else if (current !== null && line.trim() === '```') {
      blocks.push(current.join('\n'));
      current = null;
    } else if (current !== null) current.push(line);
  }
  return blocks;
}

/** A README command pointed at the clone's ports instead of the defaults it shows. */
export function withPorts(command: string, ports: ClonePorts): string {
  return command
    .replaceAll('127.0.0.1:2525', `127.0.0.1:${ports.EMBEDDED_SMTP_PORT}`)
    .replaceAll('127.0.0.1:1143', `127.0.0.1:${ports.EMBEDDED_IMAP_PORT}`)
    .replaceAll('localhost:3000', `localhost:${ports.PORT}`);
}

/** Runs one README block with bash in the clone (errors stop it), with the clone's environment. */
export function runBlock(
  dir: string,
  ports: ClonePorts,
  block: string,
): { status: number | null; output: string } {
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', withPorts(block, ports)], {
    cwd: dir,
    env: newcomerEnv(ports),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
