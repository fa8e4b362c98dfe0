/**
 * The process engine's launcher: find Java 17+, build deploy/engine's jar when its sources are newer, spawn it
 * tied to this process's life, and wait for /health. One file although past 300 lines because those steps are
 * one start. It also holds what every launcher shares (REPO_ROOT, LauncherLog, probePort); those belong in a
 * file of their own, but the PostgreSQL, mail and dovecot launchers, the demo seed and two tests import them from
 * here, so the move waits for a change that touches them anyway.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { StartupError } from './startup-error.ts';

/** The part of a pino-like logger the launchers use. */
export interface LauncherLog {
  info: (msg: string) => void;
  warn: (msg: string) => void;
}

/** Repository root: two levels up from server/embedded/. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ENGINE_DIR = path.join(REPO_ROOT, 'deploy', 'engine');
/** The Maven wrapper; deploy/mail builds with it too. */
export const MVNW = path.join(ENGINE_DIR, 'mvnw');
export const ENGINE_JAR = path.join(ENGINE_DIR, 'target', 'engine.jar');

/** JVM flags that start fastest here and keep up under load (C1 only: the engine waits on PostgreSQL, not on CPU). */
const ENGINE_JVM = [
  '-Xms256m',
  '-Xmx1g',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:+ExitOnOutOfMemoryError',
];

export function javaExecutable(): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, 'bin', 'java') : 'java';
}

/** The engine (Operaton 1.0 on Spring Boot 3) needs Java 17 or newer; says so in plain words when it is missing or older. */
export function checkJava(): number {
  const java = javaExecutable();
  const r = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    throw new StartupError(
      process.env.JAVA_HOME
        ? `Java was not found at ${java} (JAVA_HOME=${process.env.JAVA_HOME}).`
        : 'Java is not installed (no `java` on the PATH and no JAVA_HOME).',
      process.env.JAVA_HOME
        ? 'Point JAVA_HOME at a JDK 17 or newer, or unset it to use the java on the PATH.'
        : 'Install a JDK 17 or newer (for example Eclipse Temurin 21) and start again; the process engine runs on it.',
    );
  // `java -version` prints e.g. openjdk version "17.0.15" or java version "1.8.0_402" on stderr.
  const quoted = /version "([^"]{1,40})"/.exec(r.stderr ?? '')?.[1] ?? '';
  const parts = quoted.split('.');
  const major = Number(parts[0] === '1' ? parts[1] : parts[0]);
  if (!Number.isInteger(major) || major < 17)
    throw new StartupError(
      `Java ${quoted || '(unknown version)'} is too old: the process engine needs Java 17 or newer.`,
      'Install a JDK 17+ and put it first on the PATH, or point JAVA_HOME at it.',
    );
  return major;
}

function newestMtime(entry: string): number {
  const st = statSync(entry, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/**
 * Runs `mvnw -q -B -DskipTests -f <pom> package` when `artifact` is missing or older than any of `inputs`.
 * Prints nothing unless the build fails; then throws with the tail of Maven's output.
 * A lock directory next to the artifact keeps two processes from building at once.
 */
export async function buildIfStale(opts: {
  pom: string;
  artifact: string;
  inputs: string[];
  what: string;
  log: LauncherLog;
}): Promise<string> {
  const stale = () => {
    const built = statSync(opts.artifact, { throwIfNoEntry: false })?.mtimeMs ?? 0;
    return built === 0 || opts.inputs.some((i) => newestMtime(i) > built);
  };
  if (!stale()) return opts.artifact;
  const lock = path.join(path.dirname(opts.artifact), '.build-lock');
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else is building; a lock older than 10 minutes is left over from a killed build.
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new Error(`timed out waiting for the ${opts.what} build lock ${lock}`);
      await sleep(500);
    }
  }
  try {
    if (!stale()) return opts.artifact;
    opts.log.info(
      `building the ${opts.what} (${path.relative(REPO_ROOT, opts.artifact)}) with the Maven wrapper ...`,
    );
    const started = Date.now();
    const output: Buffer[] = [];
    let size = 0;
    // Progress for the first build (Maven downloads a few hundred files once): how long, how many files so far.
    let downloaded = 0;
    const progress = setInterval(() => {
      const secs = Math.round((Date.now() - started) / 1000);
      opts.log.info(
        `still building the ${opts.what}: ${secs} s${downloaded ? `, ${downloaded} files downloaded from Maven Central` : ''}`,
      );
    }, 15_000);
    const code = await new Promise<number | null>((resolve, reject) => {
      // Batch mode without -q: one "Downloaded from …" line per file is the progress we count.
      const child = spawn('/bin/sh', [MVNW, '-B', '-DskipTests', '-f', opts.pom, 'package'], {
        cwd: path.dirname(opts.pom),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const keep = (chunk: Buffer) => {
        output.push(chunk);
        size += chunk.length;
        while (size > 256_000 && output.length > 1) size -= output.shift()!.length;
      };
      child.stdout.on('data', (chunk: Buffer) => {
        keep(chunk);
        for (
          let at = chunk.indexOf('Downloaded from');
          at >= 0;
          at = chunk.indexOf('Downloaded from', at + 1)
        )
          downloaded++;
      });
      child.stderr.on('data', keep);
      child.on('error', reject);
      child.on('close', resolve);
    }).finally(() => clearInterval(progress));
    if (code !== 0 || !existsSync(opts.artifact)) {
      const tail = Buffer.concat(output).toString('utf8').split('\n').slice(-60).join('\n');
      const offline = /Could not transfer|Unknown host|Connection refused|Network is unreachable/i.test(tail);
      const full = /No space left on device/i.test(tail);
      throw new StartupError(
        `Building the ${opts.what} with Maven failed (exit ${code})${offline ? ': Maven Central could not be reached' : full ? ': the disk is full' : ''}.`,
        offline
          ? 'Check the internet connection (or the Maven proxy in ~/.m2/settings.xml) and start again; the build runs only once.'
          : full
            ? 'Free some space and start again.'
            : `Run (cd deploy/engine && ./mvnw -B package) to see the whole output.`,
        tail,
      );
    }
    opts.log.info(`${opts.what} built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return opts.artifact;
  } finally {
    rmdirSync(lock);
  }
}

/** Builds deploy/engine/target/engine.jar when it is missing or older than deploy/engine/src or pom.xml. */
export async function ensureEngineJar({ log }: { log: LauncherLog }): Promise<string> {
  checkJava();
  return buildIfStale({
    pom: path.join(ENGINE_DIR, 'pom.xml'),
    artifact: ENGINE_JAR,
    inputs: [path.join(ENGINE_DIR, 'src'), path.join(ENGINE_DIR, 'pom.xml')],
    what: 'engine',
    log,
  });
}

/** The first line a TCP server sends within `waitMs` ('' if it accepts but stays silent), or null if nothing listens. */
export function probePort(host: string, port: number, waitMs = 1000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    let data = '';
    const done = (value: string | null) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(waitMs, () => done(data));
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8');
      const nl = data.indexOf('\n');
      if (nl >= 0) done(data.slice(0, nl).trim());
    });
    socket.on('error', () => done(null));
  });
}

export interface JavaChild {
  child: ChildProcess;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<string>;
  /** Last lines of the log file, for error messages. */
  logTail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `java <args>` with stdout and stderr appended to `logFile`; the child is killed if this process exits. */
export function spawnJava(opts: {
  args: string[];
  env: Record<string, string>;
  logFile: string;
  cwd: string;
}): JavaChild {
  mkdirSync(path.dirname(opts.logFile), { recursive: true });
  const startOffset = statSync(opts.logFile, { throwIfNoEntry: false })?.size ?? 0;
  const fd = openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    // stdin is a pipe we never write to: when this process dies (even by kill -9) it closes and a Java host started
    // with ENGINE_EXIT_WITH_PARENT=1 stops by itself (EngineApplication.exitWhenStdinCloses).
    child = spawn(javaExecutable(), opts.args, {
      // Its own process group: Ctrl-C in the terminal reaches `npm start`, which stops the engine (SIGTERM, then
      // SIGKILL after the grace period) before PostgreSQL, instead of every process stopping at once.
      detached: true,
      cwd: opts.cwd,
      env: { ...process.env, ENGINE_EXIT_WITH_PARENT: '1', ...opts.env },
      stdio: ['pipe', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  child.stdin?.on('error', () => {}); // EPIPE once the child has gone
  const onParentExit = () => {
    child.kill('SIGTERM');
  };
  process.on('exit', onParentExit);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (err) => resolve(`spawn error: ${err.message}`));
    child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code}`));
  }).finally(() => process.off('exit', onParentExit));
  let gone = false;
  void exited.then(() => (gone = true));
  return {
    child,
    exited,
    logTail() {
      try {
        const text = readFileSync(opts.logFile).subarray(startOffset).toString('utf8');
        return text.split('\n').slice(-40).join('\n');
      } catch {
        return '';
      }
    },
    async stop(graceMs = 15_000) {
      if (gone) return;
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Polls `ready` every 250 ms until it returns true; fails early when the child exits. */
export async function waitUntilReady(
  java: JavaChild,
  ready: () => Promise<boolean>,
  opts: { what: string; timeoutMs: number; logFile: string },
): Promise<void> {
  let exit: string | undefined;
  void java.exited.then((e) => (exit = e));
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (exit !== undefined) {
      throw new Error(
        `the ${opts.what} exited during startup (${exit}); see ${opts.logFile}:\n${java.logTail()}`,
      );
    }
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) {
      await java.stop(5_000);
      throw new Error(
        `the ${opts.what} was not ready within ${opts.timeoutMs / 1000} s; see ${opts.logFile}:\n${java.logTail()}`,
      );
    }
    await sleep(250);
  }
}

export interface EngineOptions {
  jdbcUrl: string;
  dbUser: string;
  dbPassword?: string;
  port: number;
  restUser: string;
  restPassword: string;
  log: LauncherLog;
  /** Default: <repo>/.data/logs/engine.log (appended to). */
  logFile?: string;
  /** Listen address, default 127.0.0.1. */
  bind?: string;
  /** Replaces the default JVM flags. */
  jvmArgs?: string[];
  /** Default 180 s. */
  timeoutMs?: number;
}

export interface EngineHandle {
  /** http://127.0.0.1:<port>/engine-rest */
  url: string;
  pid: number;
  /** Resolves with the exit code (or signal) once the engine has ended (a supervisor restarts it). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** Starts engine.jar (build it first with ensureEngineJar) and resolves once GET /health answers 200. */
export async function startEngine(opts: EngineOptions): Promise<EngineHandle> {
  const bind = opts.bind ?? '127.0.0.1';
  const host = bind === '0.0.0.0' ? '127.0.0.1' : bind;
  const logFile = opts.logFile ?? path.join(REPO_ROOT, '.data', 'logs', 'engine.log');
  if (!existsSync(ENGINE_JAR)) throw new Error(`${ENGINE_JAR} is missing: call ensureEngineJar() first`);
  if ((await probePort(host, opts.port, 300)) !== null) {
    throw new StartupError(
      `Port ${host}:${opts.port} (the process engine) is already used by another program.`,
      'Stop that program, or choose another port with EMBEDDED_ENGINE_PORT=<port> npm start.',
    );
  }
  const java = spawnJava({
    args: [...(opts.jvmArgs ?? ENGINE_JVM), '-jar', ENGINE_JAR],
    env: {
      ENGINE_DB_URL: opts.jdbcUrl,
      ENGINE_DB_USER: opts.dbUser,
      ENGINE_DB_PASSWORD: opts.dbPassword ?? '',
      ENGINE_PORT: String(opts.port),
      ENGINE_BIND: bind,
      ENGINE_REST_USER: opts.restUser,
      ENGINE_REST_PASSWORD: opts.restPassword,
    },
    logFile,
    cwd: ENGINE_DIR,
  });
  const started = Date.now();
  const base = `http://${host}:${opts.port}`;
  await waitUntilReady(
    java,
    async () => {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      return res.status === 200;
    },
    { what: 'engine', timeoutMs: opts.timeoutMs ?? 180_000, logFile },
  );
  opts.log.info(
    `engine up on ${base}/engine-rest after ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${java.child.pid}, log ${logFile})`,
  );
  return {
    url: `${base}/engine-rest`,
    pid: java.child.pid ?? -1,
    exited: java.exited,
    stop: () => java.stop(15_000),
  };
}
