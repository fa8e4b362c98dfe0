import { fork, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { probePort, REPO_ROOT, type LauncherLog } from './engine-process.ts';
import { ensureDovecot, startDovecotMailServer } from './dovecot-process.ts';
import { StartupError } from './startup-error.ts';

/**
 * The local mail server of `npm start`, the tests and bench:mail: by default our own (server/embedded/mail-server/,
 * a Node child process; deploy/mail/README.md says what it does). MAIL_SERVER=dovecot starts the former private
 * dovecot instead, which needs Debian's dovecot-imapd and dovecot-lmtpd.
 */

export interface MailServerOptions {
  smtpPort?: number;
  imapPort?: number;
  log: LauncherLog;
  /** Default: <repo>/.data/logs/mail.log (appended to). */
  logFile?: string;
  /** Where the mailboxes live (kept across restarts). Default: <repo>/.data/mail-<imapPort>. */
  mailDir?: string;
  /** Listen address, default 127.0.0.1. */
  bind?: string;
  /** Default 30 s. */
  timeoutMs?: number;
}

export interface MailServerHandle {
  /** smtp://127.0.0.1:<smtpPort> (no TLS, any credentials accepted) */
  smtpUrl: string;
  imapHost: string;
  imapPort: number;
  /** The mail server's process. */
  pid: number;
  stop(): Promise<void>;
}

const useDovecot = () => (process.env.MAIL_SERVER ?? '').toLowerCase() === 'dovecot';

/** Checks what the configured mail server needs: nothing for ours (Node only), dovecot for MAIL_SERVER=dovecot. */
export async function ensureMailServer({ log }: { log: LauncherLog }): Promise<void> {
  if (useDovecot()) await ensureDovecot({ log });
}

export function startMailServer(opts: MailServerOptions): Promise<MailServerHandle> {
  return useDovecot() ? startDovecotMailServer(opts) : startOwnMailServer(opts);
}

const CHILD = path.join(REPO_ROOT, 'server', 'embedded', 'mail-server', 'main.ts');

/** tsx's loader as a file URL: the child runs TypeScript the way `tsx` runs the app, from any working folder. */
function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
}

/** Refuses ports someone already listens on, saying who (our own leftover?) and which variable moves ours. */
async function checkPorts(host: string, ports: Array<['SMTP' | 'IMAP', number]>) {
  for (const [proto, port] of ports) {
    const greeting = await probePort(host, port, 500);
    if (greeting === null) continue;
    const ours = /reclamatii|dovecot/i.test(greeting);
    const who = ours
      ? 'a local mail server (probably left over from an earlier run or test)'
      : 'another program';
    const env = proto === 'SMTP' ? 'EMBEDDED_SMTP_PORT' : 'EMBEDDED_IMAP_PORT';
    throw new StartupError(
      `The mail server cannot start: ${proto} port ${host}:${port} is already used by ${who}${
        greeting ? ` (it answers "${greeting.slice(0, 120)}")` : ''
      }.`,
      `Stop that process, or move ours with ${env}=<port> npm start.`,
    );
  }
}

async function startOwnMailServer(opts: MailServerOptions): Promise<MailServerHandle> {
  const smtpPort = opts.smtpPort ?? 2525;
  const imapPort = opts.imapPort ?? 1143;
  const bind = opts.bind ?? '127.0.0.1';
  const host = bind === '0.0.0.0' ? '127.0.0.1' : bind;
  const logFile = opts.logFile ?? path.join(REPO_ROOT, '.data', 'logs', 'mail.log');
  const mailDir = path.resolve(opts.mailDir ?? path.join(REPO_ROOT, '.data', `mail-${imapPort}`));
  const timeoutMs = opts.timeoutMs ?? 30_000;
  await checkPorts(host, [
    ['SMTP', smtpPort],
    ['IMAP', imapPort],
  ]);

  mkdirSync(path.dirname(logFile), { recursive: true });
  mkdirSync(mailDir, { recursive: true, mode: 0o700 });
  const startOffset = statSync(logFile, { throwIfNoEntry: false })?.size ?? 0;
  const started = Date.now();
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = fork(CHILD, [], {
      // Only tsx: the parent's own flags (vitest's, tsx's preflight) are not the child's business.
      execArgv: ['--import', tsxLoader()],
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        RECLAMATII_MAIL_OPTIONS: JSON.stringify({ mailDir, host: bind, smtpPort, imapPort }),
      },
      stdio: ['ignore', fd, fd, 'ipc'],
      // Its own process group: Ctrl-C reaches `npm start`, which stops the mail server after the app.
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  // Belt and braces: the child also exits on its own when the IPC channel to us disconnects.
  const onParentExit = () => child.kill('SIGTERM');
  process.on('exit', onParentExit);
  let exitReason: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      exitReason = `spawn error: ${err.message}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitReason = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    });
  }).finally(() => process.off('exit', onParentExit));
  const logTail = () => {
    try {
      return readFileSync(logFile).subarray(startOffset).toString('utf8').split('\n').slice(-20).join('\n');
    } catch {
      return '';
    }
  };
  const kill = async () => {
    if (exitReason !== undefined) return;
    if (child.connected) child.send({ type: 'stop' });
    else child.kill('SIGTERM');
    const gone = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!gone) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  let childError: string | undefined;
  const ready = new Promise<void>((resolve) => {
    child.on('message', (m: { type?: string; message?: string }) => {
      if (m?.type === 'error') childError = m.message;
      if (m?.type === 'ready' || m?.type === 'error') resolve();
    });
  });
  await Promise.race([ready, exited, sleep(timeoutMs)]);
  const fail = async (why: string) => {
    await kill();
    throw new StartupError(`The mail server did not start: ${why}.`, `See ${logFile}.`, logTail());
  };
  if (childError) await fail(childError);
  if (exitReason !== undefined) await fail(`it exited during startup (${exitReason})`);
  // Ready means listening; make sure both protocols greet before anyone uses them.
  for (;;) {
    const smtp = await probePort(host, smtpPort).catch(() => null);
    const imap = await probePort(host, imapPort).catch(() => null);
    if (smtp?.startsWith('220') && imap?.startsWith('* OK')) break;
    if (Date.now() - started > timeoutMs) await fail(`no greeting within ${timeoutMs} ms`);
    await sleep(50);
  }
  // From here the child must not keep our event loop alive (a script may just end; the child follows).
  child.unref();
  child.channel?.unref();
  opts.log.info(
    `mail server up: SMTP ${host}:${smtpPort}, IMAP ${host}:${imapPort} (mail in ${mailDir}) after ${
      Date.now() - started
    } ms (pid ${child.pid}, log ${logFile})`,
  );
  let stopping: Promise<void> | undefined;
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    imapHost: host,
    imapPort,
    pid: child.pid ?? -1,
    stop: () => (stopping ??= kill()),
  };
}
