import { spawn } from 'node:child_process';
import path from 'node:path';
import { clonePorts, newcomerEnv, REPO, type ClonePorts, type Running } from '../first-hour/system.ts';
import type { ApiCaller, Headers } from '../helpers/tasks.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * The whole system of one data folder as an operator runs it: server/main.ts (what `npm start` runs after building
 * the pages, left out here: the drill is about data, and the API serves without them) with its embedded
 * PostgreSQL, engine and mail server, on ports free now, with none of the test run's service URLs.
 */
export interface System extends Running {
  ports: ClonePorts;
  dataDir: string;
  api: string;
  imap: { host: string; port: number };
}

export function systemEnv(dataDir: string, ports: ClonePorts): NodeJS.ProcessEnv {
  return { ...newcomerEnv(ports), DATA_DIR: dataDir };
}

/** Starts the system on `dataDir`; resolves once it printed its banner, fails with its output if it never does. */
export async function startSystem(dataDir: string, timeoutMs = 120_000): Promise<System> {
  const ports = await clonePorts();
  const child = spawn(path.join(REPO, 'node_modules', '.bin', 'tsx'), ['server/main.ts'], {
    cwd: REPO,
    env: systemEnv(dataDir, ports),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  await waitFor(() => out.includes('Ctrl-C stops everything') || ended(), {
    timeoutMs,
    what: 'the start banner',
  }).catch(() => undefined);
  if (!out.includes('Ctrl-C stops everything')) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
    throw new Error(
      `the system on ${dataDir} did not come up (exit ${child.exitCode}):\n${out.slice(-4000)}`,
    );
  }
  return {
    child,
    output: () => out,
    exited,
    ports,
    dataDir,
    api: `http://127.0.0.1:${ports.PORT}`,
    imap: { host: '127.0.0.1', port: ports.EMBEDDED_IMAP_PORT },
  };
}

/** Runs an npm script of the checkout (e.g. backup, restore) with `env`; its exit code and everything it printed. */
export function npmRun(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** The system's API over HTTP, shaped as the in-process app the task helpers call (tests/helpers/tasks.ts). */
export function httpApi(system: System): ApiCaller {
  return {
    app: {
      async inject({ method, url, headers, payload }) {
        const res = await fetch(`${system.api}${url}`, {
          method,
          headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
          body: payload === undefined ? undefined : JSON.stringify(payload),
        });
        const body = await res.text();
        return { statusCode: res.status, body, json: <T>() => JSON.parse(body) as T };
      },
    },
  };
}

/** Logs a staff member in over HTTP; the Bearer header for the API. */
export async function login(system: System, email: string, password: string): Promise<Headers> {
  const res = await fetch(`${system.api}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
}
