import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  buildIfStale,
  probePort,
  REPO_ROOT,
  spawnJava,
  waitUntilReady,
  type LauncherLog,
} from './engine-process.ts';

const MAIL_DIR = path.join(REPO_ROOT, 'deploy', 'mail');
export const MAIL_JAR = path.join(MAIL_DIR, 'target', 'greenmail.jar');
const MAIL_JVM = [
  '-Xms64m',
  '-Xmx256m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-XX:+ExitOnOutOfMemoryError',
];

/** Fetches GreenMail standalone to deploy/mail/target/greenmail.jar when missing or older than deploy/mail/pom.xml. */
export async function ensureMailJar({ log }: { log: LauncherLog }): Promise<string> {
  return buildIfStale({
    pom: path.join(MAIL_DIR, 'pom.xml'),
    artifact: MAIL_JAR,
    inputs: [path.join(MAIL_DIR, 'pom.xml')],
    what: 'mail server',
    log,
  });
}

export interface MailServerOptions {
  smtpPort?: number;
  imapPort?: number;
  log: LauncherLog;
  /** Default: <repo>/.data/logs/mail.log (appended to). */
  logFile?: string;
  /** Listen address, default 127.0.0.1. */
  bind?: string;
  /** Default 60 s. */
  timeoutMs?: number;
}

export interface MailServerHandle {
  /** smtp://127.0.0.1:<smtpPort> (no TLS, any credentials accepted) */
  smtpUrl: string;
  imapHost: string;
  imapPort: number;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts GreenMail (SMTP + IMAP, in memory, authentication disabled: any password works and mailboxes are
 * created on first use; IMAP user = the full address). Resolves when SMTP greets 220 and IMAP greets OK.
 */
export async function startMailServer(opts: MailServerOptions): Promise<MailServerHandle> {
  const smtpPort = opts.smtpPort ?? 2525;
  const imapPort = opts.imapPort ?? 1143;
  const bind = opts.bind ?? '127.0.0.1';
  const host = bind === '0.0.0.0' ? '127.0.0.1' : bind;
  const logFile = opts.logFile ?? path.join(REPO_ROOT, '.data', 'logs', 'mail.log');
  if (!existsSync(MAIL_JAR)) throw new Error(`${MAIL_JAR} is missing: call ensureMailJar() first`);
  for (const [proto, port] of [
    ['SMTP', smtpPort],
    ['IMAP', imapPort],
  ] as const) {
    const greeting = await probePort(host, port, 500);
    if (greeting === null) continue;
    const who = /greenmail/i.test(greeting)
      ? 'a GreenMail server (probably left over from an earlier run or test)'
      : 'another program';
    throw new Error(
      `cannot start the mail server: ${proto} port ${host}:${port} is already used by ${who}${greeting ? ` ("${greeting}")` : ''}; stop it or choose other ports`,
    );
  }
  const java = spawnJava({
    args: [
      ...MAIL_JVM,
      `-Dgreenmail.smtp.hostname=${bind}`,
      `-Dgreenmail.smtp.port=${smtpPort}`,
      `-Dgreenmail.imap.hostname=${bind}`,
      `-Dgreenmail.imap.port=${imapPort}`,
      '-Dgreenmail.auth.disabled',
      '-jar',
      MAIL_JAR,
    ],
    env: {},
    logFile,
    cwd: MAIL_DIR,
  });
  const started = Date.now();
  await waitUntilReady(
    java,
    async () => {
      const smtp = await probePort(host, smtpPort);
      if (!smtp?.startsWith('220')) return false;
      const imap = await probePort(host, imapPort);
      return imap?.startsWith('* OK') ?? false;
    },
    { what: 'mail server', timeoutMs: opts.timeoutMs ?? 60_000, logFile },
  );
  opts.log.info(
    `mail server up: SMTP ${host}:${smtpPort}, IMAP ${host}:${imapPort} after ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${java.child.pid}, log ${logFile})`,
  );
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    imapHost: host,
    imapPort,
    pid: java.child.pid ?? -1,
    stop: () => java.stop(15_000),
  };
}
