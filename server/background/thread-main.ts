/**
 * The background thread: the mail intake and the external-task workers, on an event loop of their own. A message
 * that takes long to read (a megabyte of HTML, a hostile header) delays only the messages behind it, never an API
 * request. Started by startBackgroundThread (thread.ts) through thread-boot.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromThread, ToThread, BackgroundInit } from './protocol.ts';
import { startBackgroundParts } from './background-parts.ts';

const port = parentPort;
if (!port) throw new Error('thread-main.ts runs only as a worker thread (startBackgroundThread)');
const post = (m: FromThread) => port.postMessage(m);
const init = (workerData as { init: BackgroundInit }).init;

let stopping: Promise<void> | null = null;
startBackgroundParts(init, {
  onOutcome: (tenant, outcome) => post({ type: 'outcome', tenant, outcome }),
}).then(
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
