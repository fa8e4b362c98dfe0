/**
 * Mail intake benchmark: APPENDs N complaint e-mails over IMAP to the DEMO tenant's complaint mailbox while the
 * intake runs (IDLE push, C messages in parallel), and prints messages/s and the time from APPEND to registered
 * case (committed, process started) at p50/p95/p99.
 *
 *   npm run bench:mail -- --n 500 --c 8
 *
 * Self-contained like bench:intake: the same services `npm start` would start (the local mail server on 2725/1343), a fresh
 * database. Workers are not running: this measures the intake and registration alone. The intake connects as the
 * workers role, as in the background thread of `npm start`, so row-level security is included.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { imapClient } from '../server/mail/imap.ts';
import { inboundMessages, tenants } from '../server/db/schema/index.ts';
import { withTenant } from '../server/db/tenant-scope.ts';
import { startMailIntake } from '../server/intake/mail/start-intake.ts';
import { startBenchStack } from './stack.ts';
import { arg, percentiles } from './measure.ts';

const N = arg('n', 500);
const C = arg('c', 8);
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

async function main() {
  const { infra, db, workersDb, engine, demoTenantId, close } = await startBenchStack();
  if (!infra.imap) throw new Error('bench:mail needs the local mail server (leave SMTP_URL unset)');
  const address = `demo-bench-${randomBytes(4).toString('hex')}@reclamatii.local`;
  // What the tenant's administrator does in the settings (a request of the DEMO tenant).
  await withTenant(demoTenantId, () =>
    db.update(tenants).set({ intakeEmail: address }).where(eq(tenants.id, demoTenantId)),
  );

  const doneAt = new Map<string, number>();
  let failed = 0;
  let allDone: () => void = () => {};
  const finished = new Promise<void>((r) => (allDone = r));
  const intake = await startMailIntake(
    { db: workersDb, engine, secret: infra.secret, log, ownAddresses: ['noreply@reclamatii.local'] },
    {
      localImap: infra.imap,
      tenantIds: [demoTenantId],
      concurrency: C,
      onOutcome(_t, o) {
        if (o.status === 'registered') doneAt.set(o.inboundId, Date.now());
        else failed++;
        if (doneAt.size + failed >= N) allDone();
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
  try {
    console.log(`mail intake benchmark: N=${N}, C=${C}, ${new Date().toISOString()}`);
    const appendAt: number[] = [];
    const t0 = Date.now();
    for (let i = 0; i < N; i++) {
      const raw = message(i, address);
      appendAt[i] = Date.now();
      await client.append('INBOX', raw);
    }
    const appended = Date.now();
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([
      finished,
      new Promise((_, reject) => {
        giveUp = setTimeout(
          () => reject(new Error(`only ${doneAt.size} of ${N} registered after 10 min`)),
          600_000,
        );
      }),
    ]).finally(() => clearTimeout(giveUp)); // else the process waits out the 10 minutes after printing
    const end = Math.max(...doneAt.values());
    const rows = await withTenant(demoTenantId, () =>
      db
        .select({ id: inboundMessages.id, subject: inboundMessages.subject })
        .from(inboundMessages)
        .where(eq(inboundMessages.tenantId, demoTenantId)),
    );
    const latencies = rows.map((r) => {
      const i = Number(/^Bench (\d+):/.exec(r.subject)?.[1]);
      return doneAt.get(r.id)! - appendAt[i]!;
    });
    console.log(`APPEND of ${N} messages took ${((appended - t0) / 1000).toFixed(2)} s`);
    console.log(
      `registered ${doneAt.size} cases (${failed} other outcomes) in ${((end - t0) / 1000).toFixed(2)} s = ${(
        doneAt.size /
        ((end - t0) / 1000)
      ).toFixed(1)} messages/s`,
    );
    console.log(`APPEND -> registered case: ${percentiles(latencies, 0)}`);
  } finally {
    await client.logout().catch(() => client.close());
    await intake.stop();
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
