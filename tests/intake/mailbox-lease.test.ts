import { and, eq, sql as drizzleSql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../server/db/schema/index.ts';
import { createMailboxLeases } from '../../server/intake/mail/mailbox-lease.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  appendRaw,
  giveTenantsFreshAddresses,
  messageId,
  rfc822,
  runIntake,
  type RunningIntake,
} from './intake-helpers.ts';

/**
 * Issue 15 item 3: with several intake processes (a cluster), one mailbox is read by one of them at a time, and
 * when that one dies its mailboxes go to another at once. Each intake here has its own PostgreSQL session for its
 * leases, as each process has; killing one is closing its session as a `kill -9` would (the server sees the socket
 * close), and dropping its IMAP connections.
 */
describe('mailbox leases between intake processes', () => {
  let t: TestContext;
  let addr: { demo: string; acme: string };
  const sessions: postgres.Sql[] = [];
  const intakes: RunningIntake[] = [];

  async function intake() {
    const session = postgres(t.databaseUrl, { max: 2, onnotice: () => {} });
    sessions.push(session);
    const running = await runIntake({ db: t.db, engine: t.engine, secret: 'test-secret' }, [t.demoTenantId], {
      leases: createMailboxLeases(session, silentLog),
      leaseCheckMs: 200,
    });
    intakes.push(running);
    return { running, session };
  }

  const complaint = (i: number) =>
    rfc822(
      {
        From: `Client ${i} <lease-${i}@example.test>`,
        To: addr.demo,
        Subject: `Factura ${i}`,
        'Message-ID': messageId(),
      },
      `Bună ziua, factura ${i} este prea mare.`,
    );

  const demoCases = async () =>
    (
      await t.db
        .select({ n: drizzleSql<number>`count(*)::int` })
        .from(cases)
        .where(and(eq(cases.tenantId, t.demoTenantId), eq(cases.channel, 'email')))
    )[0]!.n;

  beforeAll(async () => {
    t = await createTestContext();
    addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
  });
  afterAll(async () => {
    for (const i of intakes) await i.stop().catch(() => undefined);
    for (const s of sessions) await s.end({ timeout: 1 });
    await t?.close();
  });

  it('one intake reads the mailbox; when it dies the other takes it over, and every message is one case', async () => {
    const first = await intake();
    const second = await intake();
    expect(first.running.watchers.has(t.demoTenantId)).toBe(true);
    expect(second.running.watchers.has(t.demoTenantId)).toBe(false);

    for (let i = 0; i < 4; i++) await appendRaw(addr.demo, complaint(i));
    await first.running.waitForOutcomes(4);
    expect(second.running.outcomes).toHaveLength(0);

    // The first intake dies: its IMAP connections drop and its database session ends.
    first.running.kill();
    await first.session.end({ timeout: 0 });
    await waitFor(() => second.running.watchers.has(t.demoTenantId), {
      timeoutMs: 10_000,
      what: 'the second intake to take the mailbox',
    });
    for (let i = 4; i < 8; i++) await appendRaw(addr.demo, complaint(i));
    await second.running.waitForOutcomes(4);
    expect(second.running.outcomes.map((o) => o.outcome.status)).toEqual(Array(4).fill('registered'));
    expect(await demoCases()).toBe(8);
  });

  it('a lost session frees its mailboxes for another intake, and the holder learns it lost them', async () => {
    const session = postgres(t.databaseUrl, { max: 2, onnotice: () => {} });
    sessions.push(session);
    const leases = createMailboxLeases(session, silentLog);
    const mailbox = {
      host: '127.0.0.1',
      port: 1,
      secure: false,
      user: 'lease-check@reclamatii.local',
      pass: 'x',
      mailbox: 'INBOX',
      processedFolder: 'Processed',
      quarantineFolder: 'Quarantine',
    };
    expect(await leases.take(mailbox)).toBe(true);
    expect(await leases.check()).toBe(true);
    const otherSession = postgres(t.databaseUrl, { max: 1, onnotice: () => {} });
    sessions.push(otherSession);
    const other = createMailboxLeases(otherSession, silentLog);
    expect(await other.take(mailbox)).toBe(false);
    // The holder's connection drops (a network cut, a killed process): the server ends the session, and the lock
    // goes with it once the backend has noticed.
    await session.end({ timeout: 0 });
    await waitFor(() => other.take(mailbox), {
      timeoutMs: 10_000,
      what: 'the lock of the ended session to go',
    });
    expect(await leases.check()).toBe(false);
    await other.close();
    await leases.close();
  });
});
