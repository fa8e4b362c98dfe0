import { isIP } from 'node:net';

/**
 * Installation configuration, read once from the environment. Per-tenant settings live in the database.
 * Unset services (DATABASE_URL, ENGINE_URL, SMTP_URL) mean "start the embedded one" (see main.ts).
 */
export interface Config {
  port: number;
  host: string;
  /** The public origin of the web pages, e.g. https://reclamatii.info (used for CSRF origin checks and links). */
  publicUrl: string;
  databaseUrl: string | undefined;
  /**
   * The PostgreSQL server's Unix socket file on this machine (DATABASE_SOCKET, e.g.
   * /var/run/postgresql/.s.PGSQL.5432): the app's own connections use it instead of the URL's host and port (same
   * user, password and database), which spares each statement the loopback TCP stack. The embedded PostgreSQL's is
   * used by itself.
   */
  databaseSocket: string | undefined;
  /**
   * The role the API and the workers connect as (APP_DATABASE_URL), for an operator who creates it; unset: the app
   * creates `<database>_api` and `<database>_workers` itself with DATABASE_URL's role (server/db/roles.ts).
   */
  appDatabaseUrl: string | undefined;
  engineUrl: string | undefined;
  /** The engine's own PostgreSQL database (the inbox reads its task_event_outbox); embedded default when unset. */
  engineDatabaseUrl: string | undefined;
  engineUser: string;
  enginePassword: string;
  smtpUrl: string | undefined;
  /** Sender of outgoing mail. */
  mailFrom: string;
  /** Secret for access codes and other HMACs. Required in production. */
  appSecret: string | undefined;
  /** Where the embedded PostgreSQL, logs and secrets live. */
  dataDir: string;
  production: boolean;
  /**
   * Admins, supervisors and designers must use TOTP (STAFF_TOTP_REQUIRED; always on in production, off by default
   * for the demo so its 12 logins work with the password alone; see docs/security.md).
   */
  staffTotpRequired: boolean;
  logLevel: string;
  workerConcurrency: number;
  /** How often the housekeeping sweep runs (HOUSEKEEPING_INTERVAL_MINUTES, default 15). */
  housekeepingIntervalMinutes: number;
  /** How long consumed engine task events stay in task_event_outbox (TASK_EVENT_RETENTION_DAYS, default 7). */
  taskEventRetentionDays: number;
  /**
   * The reverse proxies whose X-Forwarded-For is believed (TRUST_PROXY: comma-separated addresses or CIDR ranges,
   * e.g. `10.0.0.5,10.0.1.0/24`). Empty: the client address is the socket's, whatever headers a client sends.
   */
  trustProxy: string[];
  /**
   * Hosts a tenant's mailbox settings may reach although they are internal (OUTBOUND_ALLOW_HOSTS: comma-separated
   * `host` or `host:port`); see server/net/outbound-fence.ts.
   */
  outboundAllowHosts: string[];
  /**
   * The installation's own IMAP server when SMTP_URL names an external mail server (LOCAL_IMAP=host:port): tenants
   * without mailbox settings of their own read their intake address there, as with the embedded mail server.
   */
  localImap: { host: string; port: number } | null;
  /**
   * Behind a load balancer, how long a stopping API waits at most for the balancer to see /readyz fail before it
   * stops accepting (SHUTDOWN_DRAIN_MS; default 0: no balancer).
   */
  shutdownDrainMs: number;
  /** Ports of the embedded services (only used when the matching *_URL is unset). */
  embeddedPorts: { pg: number; engine: number; smtp: number; imap: number };
}

/** `host:port`, or null when unset. */
function hostPort(value: string | undefined, name: string): { host: string; port: number } | null {
  if (!value) return null;
  const colon = value.lastIndexOf(':');
  const port = Number(value.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535)
    throw new Error(`${name} must be host:port, got "${value}"`);
  return { host: value.slice(0, colon), port };
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** An address, a CIDR range, or one of proxy-addr's names (loopback, linklocal, uniquelocal); never `true`. */
function proxyAddresses(value: string | undefined): string[] {
  const entries = list(value);
  for (const e of entries) {
    const [addr, bits, extra] = e.split('/');
    const named = ['loopback', 'linklocal', 'uniquelocal'].includes(e);
    const ok =
      named ||
      (extra === undefined &&
        addr !== undefined &&
        isIP(addr) !== 0 &&
        (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(addr) === 4 ? 32 : 128))));
    if (!ok)
      throw new Error(
        `TRUST_PROXY takes the proxies' addresses or CIDR ranges (e.g. 10.0.0.5,10.0.1.0/24), got "${e}"`,
      );
  }
  return entries;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int(env.PORT, 3000, 'PORT');
  const production = env.NODE_ENV === 'production';
  const config: Config = {
    port,
    host: env.HOST ?? '127.0.0.1',
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSocket: env.DATABASE_SOCKET || undefined,
    appDatabaseUrl: env.APP_DATABASE_URL || undefined,
    engineUrl: env.ENGINE_URL?.replace(/\/$/, '') || undefined,
    engineDatabaseUrl: env.ENGINE_DATABASE_URL || undefined,
    engineUser: env.ENGINE_USER ?? 'reclamatii',
    enginePassword: env.ENGINE_PASSWORD ?? '',
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'Reclamații <noreply@reclamatii.local>',
    appSecret: env.APP_SECRET || undefined,
    dataDir: env.DATA_DIR ?? '.data',
    production,
    staffTotpRequired: production || env.STAFF_TOTP_REQUIRED === 'true',
    logLevel: env.LOG_LEVEL ?? 'info',
    workerConcurrency: int(env.WORKER_CONCURRENCY, 8, 'WORKER_CONCURRENCY'),
    housekeepingIntervalMinutes: int(env.HOUSEKEEPING_INTERVAL_MINUTES, 15, 'HOUSEKEEPING_INTERVAL_MINUTES'),
    taskEventRetentionDays: int(env.TASK_EVENT_RETENTION_DAYS, 7, 'TASK_EVENT_RETENTION_DAYS'),
    trustProxy: proxyAddresses(env.TRUST_PROXY),
    outboundAllowHosts: list(env.OUTBOUND_ALLOW_HOSTS).map((h) => h.toLowerCase()),
    localImap: hostPort(env.LOCAL_IMAP, 'LOCAL_IMAP'),
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS === '0' ? 0 : int(env.SHUTDOWN_DRAIN_MS, 0, 'SHUTDOWN_DRAIN_MS'),
    embeddedPorts: {
      pg: int(env.EMBEDDED_PG_PORT, 54329, 'EMBEDDED_PG_PORT'),
      engine: int(env.EMBEDDED_ENGINE_PORT, 18080, 'EMBEDDED_ENGINE_PORT'),
      smtp: int(env.EMBEDDED_SMTP_PORT, 2525, 'EMBEDDED_SMTP_PORT'),
      imap: int(env.EMBEDDED_IMAP_PORT, 1143, 'EMBEDDED_IMAP_PORT'),
    },
  };
  if (production && env.STAFF_TOTP_REQUIRED === 'false')
    throw new Error('STAFF_TOTP_REQUIRED cannot be false when NODE_ENV=production');
  if (production) {
    for (const [key, value] of Object.entries({
      DATABASE_URL: config.databaseUrl,
      ENGINE_URL: config.engineUrl,
      ENGINE_DATABASE_URL: config.engineDatabaseUrl,
      ENGINE_PASSWORD: config.enginePassword,
      SMTP_URL: config.smtpUrl,
      APP_SECRET: config.appSecret,
    })) {
      if (!value) throw new Error(`${key} is required when NODE_ENV=production`);
    }
  }
  return config;
}
