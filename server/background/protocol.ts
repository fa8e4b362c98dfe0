import type { HousekeepingOptions } from '../housekeeping/index.ts';
import type { IntakeTenant, ProcessOutcome } from '../intake/index.ts';

/** What runs in the background thread: the mail intake, the external-task workers and their dispatchers. */
export type BackgroundPart = 'intake' | 'workers';

/**
 * Everything the thread needs to build its own connections (a thread shares no objects with the API: its own
 * database pool, engine client and mailer). Structured-cloned into the thread; never logged (it holds secrets).
 */
export interface BackgroundInit {
  parts: BackgroundPart[];
  databaseUrl: string;
  /** The database server's Unix socket (createDb's `socket`), when there is one on this machine. */
  databaseSocket?: string | null;
  engine: { url: string; user: string; password: string };
  engineDatabaseUrl: string | null;
  secret: string;
  smtpUrl: string;
  mailFrom: string;
  logLevel: string;
  workers?: {
    concurrency: number;
    housekeeping: HousekeepingOptions;
    /** Where the audit sealer anchors the chain heads (server/audit/audit-anchors.ts); none: not anchored. */
    auditAnchorDir?: string;
    /** Only these tenants' tasks, and no dispatchers, sealer or housekeeping (tests share one engine). */
    tenantIds?: string[];
    workerId?: string;
  };
  intake?: {
    localImap: { host: string; port: number } | null;
    catchAllUrl: string | null;
    ownAddresses: string[];
    /** Only these tenants (tests share one mail server). */
    tenantIds?: string[];
    pollIntervalMs?: number;
    reloadIntervalMs?: number;
    /** Send each message's outcome to the parent (tests, benchmark). */
    reportOutcomes?: boolean;
  };
}

export type ToThread = { type: 'stop' };

export type FromThread =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'stopped' }
  | { type: 'outcome'; tenant: IntakeTenant | null; outcome: ProcessOutcome };
