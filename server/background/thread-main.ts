/**
 * The background thread: the mail intake and the external-task workers, on an event loop of their own. A message
 * that takes long to read (a megabyte of HTML, a hostile header) delays only the messages behind it, never an API
 * request. Started by startBackgroundThread (thread.ts) through thread-boot.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import pino from 'pino';
import { appLogOptions } from '../request-log.ts';
import { auditChainKey, startAuditSealer } from '../audit/audit-chain.ts';
import { createDb } from '../db/client.ts';
import { EngineClient } from '../engine/client.ts';
import { startHousekeeping } from '../housekeeping/index.ts';
import { mailboxFromUrl, startMailIntake } from '../intake/mail/start-intake.ts';
import { createMailboxLeases } from '../intake/mail/mailbox-lease.ts';
import { createMailer } from '../mail/mailer.ts';
import { startProcessStartDispatcher } from '../cases/index.ts';
import { startTaskCompletionDispatcher } from '../tasks/index.ts';
import { startWorkers } from '../workers/run-workers.ts';
import type { BackgroundInit, FromThread, ToThread } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('thread-main.ts runs only as a worker thread (startBackgroundThread)');
const post = (m: FromThread) => port.postMessage(m);
const init = (workerData as { init: BackgroundInit }).init;

async function start(): Promise<Array<() => Promise<void> | void>> {
  // pino writes to file descriptor 1 itself, not through the parent thread's stdout.
  // The same redaction as the API's log: the workers handle codes, tokens and passwords too.
  const log = pino({ ...appLogOptions(init.logLevel), base: { thread: init.parts.join('+') } });
  const { db, sql } = createDb(init.databaseUrl, { max: 10 });
  const engine = new EngineClient(init.engine);
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
        onOutcome: i.reportOutcomes
          ? (tenant, outcome) => post({ type: 'outcome', tenant, outcome })
          : undefined,
      },
    );
    stops.push(() => intake.stop());
  }
  return stops;
}

let stopping: Promise<void> | null = null;
start().then(
  (stops) => {
    port.on('message', (m: ToThread) => {
      if (m.type !== 'stop' || stopping) return;
      stopping = (async () => {
        // Reverse order: the intake and the workers first, the pool and the mailer they use last.
        for (const s of stops.reverse()) await s();
        post({ type: 'stopped' });
        // Ends this thread only; a timer some library left running must not keep it alive.
        process.exit(0);
      })();
    });
    post({ type: 'ready' });
  },
  (err: unknown) => {
    post({ type: 'failed', message: (err as Error).message });
    process.exit(1);
  },
);
