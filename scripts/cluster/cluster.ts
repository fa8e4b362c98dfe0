/**
 * `npm run cluster -- --engines 2 --api 2 --workers 2 --intake 2 --port 8080`: the installation as a cluster on
 * this machine (scripts/cluster/start-cluster.ts), until Ctrl-C. `npm start` stays one process per component.
 */
import { parseArgs } from 'node:util';
import { portsFrom, startCluster } from './start-cluster.ts';

const { values } = parseArgs({
  options: {
    engines: { type: 'string', default: '2' },
    api: { type: 'string', default: '2' },
    workers: { type: 'string', default: '2' },
    intake: { type: 'string', default: '2' },
    port: { type: 'string', default: '8080' },
    'data-dir': { type: 'string', default: '.data-cluster' },
  },
});

function count(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > 16) {
    console.error(`--${name} takes a whole number from ${min} to 16, got "${value}"`);
    process.exit(2);
  }
  return n;
}

const opts = {
  engines: count('engines', values.engines, 1),
  api: count('api', values.api, 1),
  workers: count('workers', values.workers, 1),
  intake: count('intake', values.intake, 0),
  port: Number(values.port),
  dataDir: values['data-dir'],
  log: (line: string) => console.log(`  ${line}`),
};
if (!Number.isInteger(opts.port) || opts.port < 1024 || opts.port > 65000) {
  console.error(`--port takes a port from 1024 to 65000, got "${values.port}"`);
  process.exit(2);
}

console.log(
  `Starting a cluster: ${opts.engines} engine node(s), ${opts.api} API, ${opts.workers} worker and ${opts.intake} intake process(es); data in ${opts.dataDir}/`,
);
const started = Date.now();
startCluster(opts).then(
  (cluster) => {
    const ports = portsFrom(opts.port);
    console.log(
      [
        '',
        `  The cluster is up after ${((Date.now() - started) / 1000).toFixed(0)} s:`,
        `    web pages and API  ${cluster.url}   (HAProxy; statistics on http://127.0.0.1:${ports.balancer.stats}/stats)`,
        `    engine REST API    ${cluster.engine.url}`,
        `    mail               ${cluster.smtpUrl}, IMAP ${cluster.imap.host}:${cluster.imap.port}`,
        ...cluster.processes.map((p) => `    ${p.name.padEnd(18)} pid ${p.pid()}`),
        `  Logs in ${opts.dataDir}/logs/. A process that ends is started again. Ctrl-C stops everything.`,
        '',
      ].join('\n'),
    );
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      console.log('\n  Stopping the cluster…');
      void cluster.stop().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  },
  (err: unknown) => {
    console.error(`The cluster did not start: ${(err as Error).message}`);
    process.exit(1);
  },
);
