/**
 * The mail intake and the external-task workers with their dispatchers, sealer and housekeeping, on their own
 * database pool, engine client and mailer: what the background thread runs (thread-main.ts) beside an API, and
 * what a process without an API (`--only workers`, `--only intake`: a cluster's replicas) runs on its main thread,
 * where no API request can wait behind it. Returns the stops, in start order (stop them in reverse).
 */
import pino from 'pino';
import { appLogOptions } from '../request-log.ts';
import { auditChainKey, startAuditSealer } from '../audit/index.ts';
import { createDb } from '../db/client.ts';
import { EngineClient } from '../engine/client.ts';
import { startHousekeeping } from '../housekeeping/index.ts';
import {
  createMailboxLeases,
  mailboxFromUrl,
  startMailIntake,
  type IntakeTenant,
  type ProcessOutcome,
} from '../intake/index.ts';
import { createMailer } from '../mail/mailer.ts';
import { startProcessStartDispatcher } from '../cases/index.ts';
import { startTaskCompletionDispatcher } from '../tasks/index.ts';
import { startWorkers } from '../workers/run-workers.ts';
import type { BackgroundInit } from './protocol.ts';

export async function startBackgroundParts(
  init: BackgroundInit,
  opts: {
    onOutcome?: (tenant: IntakeTenant | null, outcome: ProcessOutcome) => void;
    /** The process's engine client, when these parts run on its main thread (one engine client per process). */
    engine?: EngineClient;
  } = {},
): Promise<Array<() => Promise<void> | void>> {
  // pino writes to file descriptor 1 itself, not through the parent thread's stdout.
  // The same redaction as the API's log: the workers handle codes, tokens and passwords too.
  const log = pino({ ...appLogOptions(init.logLevel), base: { thread: init.parts.join('+') } });
  const { db, sql } = createDb(init.databaseUrl, { max: 10, socket: init.databaseSocket });
  const engine = opts.engine ?? new EngineClient(init.engine);
  const mailer = createMailer(init.smtpUrl, init.mailFrom);
  const stops: Array<() => Promise<void> | void> = [];
  stops.push(
    () => sql.end({ timeout: 5 }),
    () => mailer.close(),
  );
  const w = init.workers;
  if (init.parts.includes('workers') && w) {
    const workers = startWorkers(
      engine,
      { db, mailer, secret: init.secret, log },
      { concurrency: w.concurrency, tenantIds: w.tenantIds, workerId: w.workerId },
    );
    stops.push(() => workers.stop());
    if (!w.tenantIds) {
      const dispatcher = startProcessStartDispatcher(db, engine, log);
      const completions = startTaskCompletionDispatcher(db, engine, log);
      const sealer = startAuditSealer(db, auditChainKey(init.secret), log, { anchorDir: w.auditAnchorDir });
      // Expired sessions and login codes, consumed engine task events; one replica at a time.
      const housekeeping = startHousekeeping(db, init.engineDatabaseUrl, log, w.housekeeping);
      stops.push(
        () => dispatcher.stop(),
        () => completions.stop(),
        () => sealer.stop(),
        () => housekeeping.stop(),
      );
    }
  }
  const i = init.intake;
  if (init.parts.includes('intake') && i) {
    const intake = await startMailIntake(
      { db, engine, secret: init.secret, log, ownAddresses: i.ownAddresses },
      {
        localImap: i.localImap,
        // One catch-all mailbox routed by recipient address, for tenants without a mailbox of their own.
        catchAll: i.catchAllUrl ? mailboxFromUrl(i.catchAllUrl) : null,
        tenantIds: i.tenantIds,
        pollIntervalMs: i.pollIntervalMs,
        reloadIntervalMs: i.reloadIntervalMs,
        // Several intake processes may run (replicas, `npm run cluster`): each mailbox is read by one at a time.
        leases: createMailboxLeases(sql, log),
        onOutcome: i.reportOutcomes ? opts.onOutcome : undefined,
      },
    );
    stops.push(() => intake.stop());
  }
  return stops;
}
