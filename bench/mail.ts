/**
 * Mail intake benchmark: APPENDs complaint e-mails over IMAP to the DEMO tenant's complaint mailbox while the
 * intake runs (IDLE push, C messages in parallel), in two phases of N messages each:
 *
 * - sustained: the messages arrive at a steady R per second (paced APPENDs); prints the time from APPEND to
 *   registered case (committed, process started) at p50/p95/p99 — what a sender waits in ordinary traffic;
 * - burst: all N are appended at once (as fast as one IMAP connection takes them); prints the drain rate, from the
 *   first APPEND to the last registered case, and the same latencies.
 *
 *   npm run bench:mail -- --n 500 --c 8 --rate 20 [--warmup 20] [--cpu-profile <file>]
 *
 * Before the sustained phase, `--warmup` messages at the same rate are registered and not measured.
 *
 * Self-contained like bench:intake: the same services `npm start` would start (the local mail server on 2725/1343), a fresh
 * database. Workers are not running: this measures the intake and registration alone. The intake connects as the
 * workers role, as in the background thread of `npm start`, so row-level security is included.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import type { ImapFlow } from 'imapflow';
import { imapClient } from '../server/mail/imap.ts';
import { inboundMessages, tenants } from '../server/db/schema/index.ts';
import { withTenant } from '../server/db/tenant-scope.ts';
import { startMailIntake } from '../server/intake/mail/start-intake.ts';
import { startBenchStack } from './stack.ts';
import { arg, percentile, percentiles, profileIf } from './measure.ts';
import { cpuByProcess, printCpuSince, printMemory } from './memory.ts';

const N = arg('n', 500);
const C = arg('c', 8);
const RATE = arg('rate', 20);
const WARMUP = arg('warmup', 20);
/** `--cpu-profile <file>`: a V8 CPU profile of this process (the intake) during both phases. */
const cpuProfileFile = process.argv.includes('--cpu-profile')
  ? process.argv[process.argv.indexOf('--cpu-profile') + 1]
  : undefined;
const log = {
  info() {},
  warn: (o: unknown, m?: string) => console.warn(m ?? '', JSON.stringify(o)),
  error: (o: unknown, m?: string) => console.error(m ?? '', JSON.stringify(o)),
};

function message(i: number, to: string): Buffer {
  const pods = ['RO005E512345678', 'RO001E512345679', 'DEG0456712', 'RO002E100987654'];
  return Buffer.from(
    [
      `From: Client ${i} <client${i}@example.test>`,
      `To: ${to}`,
      `Subject: Bench ${i}: factura din octombrie`,
      `Message-ID: <bench-${i}-${randomBytes(6).toString('hex')}@example.test>`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      `Bună ziua, factura pentru locul de consum ${i % 3 === 0 ? pods[i % pods.length] : 'meu'} este prea mare.`,
      'Vă rog să verificați indexul.',
      '',
    ].join('\r\n'),
  );
}

/** When each inbound row of a phase became a registered case, by the message's number in its Subject. */
type Registered = Map<string, number>;

async function main() {
  const { infra, db, workersDb, engine, demoTenantId, close } = await startBenchStack();
  if (!infra.imap) throw new Error('bench:mail needs the local mail server (leave SMTP_URL unset)');
  const address = `demo-bench-${randomBytes(4).toString('hex')}@reclamatii.local`;
  // What the tenant's administrator does in the settings (a request of the DEMO tenant).
  await withTenant(demoTenantId, () =>
    db.update(tenants).set({ intakeEmail: address }).where(eq(tenants.id, demoTenantId)),
  );

  const doneAt: Registered = new Map();
  let failed = 0;
  let waiting: { count: number; resolve: () => void } | null = null;
  const intake = await startMailIntake(
    { db: workersDb, engine, secret: infra.secret, log, ownAddresses: ['noreply@reclamatii.local'] },
    {
      localImap: infra.imap,
      tenantIds: [demoTenantId],
      concurrency: C,
      onOutcome(_t, o) {
        if (o.status === 'registered') doneAt.set(o.inboundId, Date.now());
        else failed++;
        if (waiting && doneAt.size + failed >= waiting.count) waiting.resolve();
      },
    },
  );
  await intake.ready;
  const client = await imapClient({
    host: infra.imap.host,
    port: infra.imap.port,
    secure: false,
    user: address,
    pass: 'x',
  });
  await client.connect();

  /** Resolves when `count` outcomes in all have been seen; fails after 10 minutes. */
  async function outcomes(count: number) {
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => {
        waiting = { count, resolve };
        if (doneAt.size + failed >= count) resolve();
      }),
      new Promise((_, reject) => {
        giveUp = setTimeout(
          () => reject(new Error(`only ${doneAt.size} of ${count} registered after 10 min`)),
          600_000,
        );
      }),
    ]).finally(() => clearTimeout(giveUp)); // else the process waits out the 10 minutes after printing
  }

  /** APPENDs messages `from`…`from+count-1`, `every` ms apart (0: back to back), and waits for their cases. */
  async function phase(c: ImapFlow, from: number, count: number, every: number) {
    const appendAt = new Map<number, number>();
    const t0 = Date.now();
    for (let k = 0; k < count; k++) {
      // Paced against the phase's start, not the previous APPEND, so slow APPENDs do not lower the offered rate.
      if (every) {
        const due = t0 + k * every - Date.now();
        if (due > 0) await sleep(due);
      }
      appendAt.set(from + k, Date.now());
      await c.append('INBOX', message(from + k, address));
    }
    const appended = Date.now();
    await outcomes(from + count);
    const rows = await withTenant(demoTenantId, () =>
      db
        .select({ id: inboundMessages.id, subject: inboundMessages.subject })
        .from(inboundMessages)
        .where(eq(inboundMessages.tenantId, demoTenantId)),
    );
    const latencies: number[] = [];
    let end = t0;
    for (const r of rows) {
      const i = Number(/^Bench (\d+):/.exec(r.subject)?.[1]);
      const at = appendAt.get(i);
      const done = doneAt.get(r.id);
      if (at === undefined || done === undefined) continue;
      latencies.push(done - at);
      end = Math.max(end, done);
    }
    return { t0, appended, end, latencies, rate: latencies.length / ((end - t0) / 1000) };
  }

  /** Transactions committed in the bench database so far (every statement outside one is its own, scoped-client.ts). */
  async function commits(): Promise<number> {
    const rows = await withTenant(demoTenantId, () =>
      db.execute<{ n: string }>(
        sql`select xact_commit::text as n from pg_stat_database where datname = current_database()`,
      ),
    );
    return Number([...rows][0]?.n ?? 0);
  }

  const profile = await profileIf(cpuProfileFile, 'both phases');
  try {
    console.log(
      `mail intake benchmark: N=${N}, C=${C}, rate ${RATE}/s, warm-up ${WARMUP}, ${new Date().toISOString()}`,
    );
    printMemory('idle, before the phases');

    // Unmeasured, as in bench:intake: the first messages pay for compiling the code paths and opening connections.
    await phase(client, 0, WARMUP, 1000 / RATE);
    let cpu = cpuByProcess();
    const xacts = await commits();
    const s = await phase(client, WARMUP, N, 1000 / RATE);
    printCpuSince('sustained phase', cpu);
    // The statistics collector reports with a delay of up to a second; a rough count is what this is for.
    await sleep(1500);
    console.log(`sustained: ${((await commits()) - xacts) / N} PostgreSQL transactions per message`);
    console.log(
      `sustained: APPEND of ${N} messages at ${RATE}/s took ${((s.appended - s.t0) / 1000).toFixed(2)} s; ` +
        `${s.latencies.length} registered in ${((s.end - s.t0) / 1000).toFixed(2)} s`,
    );
    console.log(`sustained: APPEND -> registered case: ${percentiles(s.latencies, 0)}`);

    cpu = cpuByProcess();
    const b = await phase(client, WARMUP + N, N, 0);
    printCpuSince('burst phase', cpu);
    console.log(
      `burst: APPEND of ${N} messages took ${((b.appended - b.t0) / 1000).toFixed(2)} s; ` +
        `${b.latencies.length} registered in ${((b.end - b.t0) / 1000).toFixed(2)} s`,
    );
    console.log(`burst: APPEND -> registered case: ${percentiles(b.latencies, 0)}`);
    if (failed) console.log(`${failed} other outcomes (not registered)`);
    printMemory('after the phases');
    console.log(
      `mail sustained: ${RATE}/s offered, p95 ${percentile(s.latencies, 95).toFixed(0)} ms (target < 2000 ms)`,
    );
    console.log(
      `mail burst: ${b.latencies.length} messages drained at ${b.rate.toFixed(1)}/s (target ≥ 50/s), ` +
        `p95 ${percentile(b.latencies, 95).toFixed(0)} ms`,
    );
  } finally {
    await profile.stop();
    await client.logout().catch(() => client.close());
    await intake.stop();
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
