// The entry of a background thread: registers tsx in this thread (Node 20 does not pass the parent's loader hooks
// to worker threads), then loads the TypeScript module named in workerData. Kept as plain JavaScript on purpose.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
