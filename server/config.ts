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
  engineUrl: string | undefined;
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
  logLevel: string;
  workerConcurrency: number;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int(env.PORT, 3000, 'PORT');
  const production = env.NODE_ENV === 'production';
  const config: Config = {
    port,
    host: env.HOST ?? '127.0.0.1',
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    databaseUrl: env.DATABASE_URL || undefined,
    engineUrl: env.ENGINE_URL?.replace(/\/$/, '') || undefined,
    engineUser: env.ENGINE_USER ?? 'reclamatii',
    enginePassword: env.ENGINE_PASSWORD ?? '',
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'Reclamații <noreply@reclamatii.local>',
    appSecret: env.APP_SECRET || undefined,
    dataDir: env.DATA_DIR ?? '.data',
    production,
    logLevel: env.LOG_LEVEL ?? 'info',
    workerConcurrency: int(env.WORKER_CONCURRENCY, 8, 'WORKER_CONCURRENCY'),
  };
  if (production) {
    for (const [key, value] of Object.entries({
      DATABASE_URL: config.databaseUrl,
      ENGINE_URL: config.engineUrl,
      ENGINE_PASSWORD: config.enginePassword,
      SMTP_URL: config.smtpUrl,
      APP_SECRET: config.appSecret,
    })) {
      if (!value) throw new Error(`${key} is required when NODE_ENV=production`);
    }
  }
  return config;
}
