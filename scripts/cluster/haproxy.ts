/**
 * The cluster's load balancer: HAProxy (Debian's `haproxy` package), one frontend for the web pages and the API in
 * front of the API processes, one for the engine's REST API in front of the engine nodes. deploy/haproxy.cfg is
 * the production shape of the same configuration.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import type { Instance } from './supervisor.ts';

export interface BalancerPorts {
  /** The web pages and the API (what users and the chaos test reach). */
  web: number;
  /** The engine's REST API (what the API and worker processes reach). */
  engine: number;
  /** HAProxy's statistics page (/stats). */
  stats: number;
}

/**
 * Health checks every 500 ms: an API process leaves the rotation at its first failed /readyz (it drains before a
 * stop, so no request is sent to a closing process) and returns after two good ones; an engine node leaves after
 * two failed /health. A request whose connection could not be made is tried on another server (nothing was sent,
 * so that is safe); a request that was sent is never replayed by the balancer: an engine call that may have
 * happened is the caller's to retry (the process-start outbox asks the engine first), and a registration's client
 * retries with its Idempotency-Key.
 */
export function haproxyConfig(opts: { ports: BalancerPorts; api: number[]; engines: number[] }): string {
  const server = (name: string, port: number, extra: string) =>
    `  server ${name} 127.0.0.1:${port} check inter 500 ${extra}`;
  return [
    'global',
    '  maxconn 4096',
    '',
    'defaults',
    '  mode http',
    '  option http-keep-alive',
    '  option redispatch',
    '  retries 3',
    '  retry-on conn-failure',
    '  timeout connect 2s',
    '  timeout client 70s',
    // Longer than the workers' long poll of the engine (fetchAndLock waits up to 10 s) and any page.
    '  timeout server 70s',
    '  timeout queue 10s',
    '',
    'frontend web',
    `  bind 127.0.0.1:${opts.ports.web}`,
    // The API believes this header only from the balancer's address (TRUST_PROXY).
    '  option forwardfor',
    '  default_backend api',
    '',
    'backend api',
    '  balance leastconn',
    '  option httpchk GET /readyz',
    '  http-check expect status 200',
    ...opts.api.map((p, i) => server(`api${i + 1}`, p, 'fall 1 rise 2')),
    '',
    'frontend engine',
    `  bind 127.0.0.1:${opts.ports.engine}`,
    '  default_backend engines',
    '',
    'backend engines',
    '  balance leastconn',
    '  option httpchk GET /health',
    '  http-check expect status 200',
    ...opts.engines.map((p, i) => server(`engine${i + 1}`, p, 'fall 2 rise 2')),
    '',
    'frontend stats',
    `  bind 127.0.0.1:${opts.ports.stats}`,
    '  stats enable',
    '  stats uri /stats',
    '  stats refresh 2s',
    '',
  ].join('\n');
}

/** Says how to get HAProxy when it is missing, instead of a spawn error. */
export function requireHaproxy(): void {
  const r = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new Error(
      'npm run cluster needs HAProxy as its load balancer: install it with `apt-get install haproxy` (Debian, Ubuntu) ' +
        "or your system's package manager. `npm start` does not need it.",
    );
}

/** Starts HAProxy in the foreground on `configFile`; ready once its statistics page answers. */
export async function startHaproxy(opts: {
  configFile: string;
  config: string;
  logFile: string;
  statsPort: number;
}): Promise<Instance> {
  writeFileSync(opts.configFile, opts.config);
  // A balancer an earlier run left (its supervisor was killed) still holds the ports: stop it first.
  const pidFile = `${opts.configFile}.pid`;
  const leftover = Number(readFileSync(pidFile, { encoding: 'utf8', flag: 'a+' }).trim());
  if (leftover > 0) {
    try {
      process.kill(leftover, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  const check = spawnSync('haproxy', ['-c', '-q', '-f', opts.configFile], { encoding: 'utf8' });
  if (check.status !== 0)
    throw new Error(`HAProxy refused ${opts.configFile}: ${check.stderr || check.stdout}`);
  const fd = openSync(opts.logFile, 'a');
  const child = spawn('haproxy', ['-db', '-p', pidFile, '-f', opts.configFile], {
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`)),
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await fetch(`http://127.0.0.1:${opts.statsPort}/stats`, { signal: AbortSignal.timeout(1_000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`HAProxy did not start; see ${opts.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid ?? -1,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGUSR1'); // soft stop: finishes the connections in progress
      const done = await Promise.race([
        exited.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 5_000)),
      ]);
      if (!done) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
