import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { startBackgroundThread, type BackgroundThread } from '../../server/background/thread.ts';
import { cases } from '../../server/db/schema/index.ts';
import { parseMessage } from '../../server/intake/mail/parse-message.ts';
import type { ProcessOutcome } from '../../server/intake/mail/process-message.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import { appendRaw, giveTenantsFreshAddresses, messageId, OUR_SENDER, rfc822 } from './intake-helpers.ts';

/**
 * Issue 13's check: "a 200,000-character e-mail address token does not delay /api/status by more than a second".
 * The intake runs in its own thread (server/background/, as `npm start` runs it); while it reads messages that each
 * carry such a token and a megabyte of unclosed HTML (seconds of parsing, all of it linear), the API answers.
 */
describe('the mail intake runs off the API event loop', () => {
  let t: TestContext;
  let thread: BackgroundThread | undefined;

  beforeAll(async () => {
    t = await createTestContext({ taskEvents: false });
  });
  afterAll(async () => {
    await thread?.stop();
    await t?.close();
  });

  /** One GET /api/status round trip through the app, in ms; the answer must be one the route gives. */
  async function statusLatency(): Promise<number> {
    const started = performance.now();
    const res = await t.app.inject({ method: 'GET', url: '/api/status/DEMO-2026-999999?code=ABCD2345' });
    const ms = performance.now() - started;
    // 404: no such case; 429: the route's own limit of 30 a minute (still an answer, and as fast).
    expect([404, 429]).toContain(res.statusCode);
    return ms;
  }

  it('keeps /api/status answering within a second while the intake reads 200 000-character address tokens', async () => {
    const addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
    const outcomes: ProcessOutcome[] = [];
    thread = startBackgroundThread(
      {
        parts: ['intake'],
        databaseUrl: t.databaseUrl,
        engine: { url: inject('engineUrl'), user: inject('engineUser'), password: inject('enginePassword') },
        engineDatabaseUrl: null,
        secret: inject('appSecret'),
        smtpUrl: inject('smtpUrl'),
        mailFrom: `Reclamații <${OUR_SENDER}>`,
        logLevel: 'silent',
        intake: {
          localImap: { host: inject('imapHost'), port: inject('imapPort') },
          catchAllUrl: null,
          ownAddresses: [OUR_SENDER],
          tenantIds: [t.demoTenantId],
          pollIntervalMs: 300,
          reloadIntervalMs: 0,
          reportOutcomes: true,
        },
      },
      { log: silentLog, onOutcome: (_tenant, outcome) => outcomes.push(outcome) },
    );
    await thread.ready;

    const idle: number[] = [];
    for (let i = 0; i < 10; i++) idle.push(await statusLatency());

    const token = `${'a'.repeat(200_000)}@example.test`;
    const hostile = (n: number) =>
      rfc822(
        {
          From: `Ion Popescu <ion.popescu${n}@example.test>`,
          To: `${addr.demo}, ${token}`,
          Subject: `Factură ${n}`,
          'Message-ID': messageId(),
          'MIME-Version': '1.0',
          'Content-Type': 'text/html; charset=utf-8',
        },
        `<p>Factura este prea mare. Scrieți-mi la ${token}.</p>${'<b><span>'.repeat(100_000)}`,
      );
    const messages = [1, 2, 3].map(hostile);
    // What reading one of them costs, measured here on the test's own loop: the time the API would have waited.
    const started = performance.now();
    await parseMessage(Buffer.from(messages[0]!));
    const inlineMs = performance.now() - started;

    for (const m of messages) await appendRaw(addr.demo, m);
    // /api/status is asked every 100 ms for as long as the intake works.
    const during: number[] = [];
    await waitFor(
      async () => {
        during.push(await statusLatency());
        return outcomes.length >= messages.length;
      },
      { timeoutMs: 300_000, stepMs: 100, what: `${messages.length} outcomes` },
    );

    const worst = Math.max(...during);
    process.stdout.write(
      `/api/status idle max ${Math.max(...idle).toFixed(1)} ms; while the intake read ${messages.length} hostile messages (${inlineMs.toFixed(0)} ms of parsing each on one loop): ${during.length} answers, max ${worst.toFixed(1)} ms\n`,
    );
    expect(during.length).toBeGreaterThanOrEqual(3);
    expect(worst).toBeLessThan(1000);
    expect(worst).toBeLessThan(Math.max(...idle) + 1000);

    // The messages were read, not dropped: each is a case, with the sender's address, never the token.
    expect(outcomes.map((o) => o.status)).toEqual(['registered', 'registered', 'registered']);
    const registered = await waitFor(async () => {
      const rows = await t.db.select().from(cases).where(eq(cases.tenantId, t.demoTenantId));
      return rows.length >= 3 ? rows : null;
    });
    for (const c of registered) {
      expect(c.contactEmail).toMatch(/^ion\.popescu\d@example\.test$/);
      expect(c.body.length).toBeLessThanOrEqual(1_000_000);
    }
  }, 240_000);

  it('runs the workers part too, stops on request, and reports a start that failed', async () => {
    const base = {
      databaseUrl: t.databaseUrl,
      engine: { url: inject('engineUrl'), user: inject('engineUser'), password: inject('enginePassword') },
      engineDatabaseUrl: null,
      secret: inject('appSecret'),
      smtpUrl: inject('smtpUrl'),
      mailFrom: `Reclamații <${OUR_SENDER}>`,
      logLevel: 'silent',
    };
    const workers = startBackgroundThread(
      {
        ...base,
        parts: ['workers'],
        workers: {
          concurrency: 1,
          housekeeping: { intervalMs: 60_000, taskEventRetentionMs: 86_400_000 },
          tenantIds: [t.acmeTenantId],
          workerId: 'thread-test',
        },
      },
      { log: silentLog },
    );
    await workers.ready;
    const stopped = performance.now();
    await workers.stop();
    // Stopped by message, not by the 15 s grace timeout.
    expect(performance.now() - stopped).toBeLessThan(10_000);

    const broken = startBackgroundThread(
      {
        ...base,
        parts: ['intake'],
        intake: { localImap: null, catchAllUrl: 'http://not-a-mailbox', ownAddresses: [], tenantIds: [] },
      },
      { log: silentLog },
    );
    await expect(broken.ready).rejects.toThrow(/did not start: catch-all mailbox URL must be imap\(s\):\/\//);
    await broken.stop();
  }, 120_000);
});
