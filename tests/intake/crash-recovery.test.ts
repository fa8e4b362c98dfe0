import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { caseEvents, cases, inboundMessages } from '../../server/db/schema/index.ts';
import { processInboundMail } from '../../server/intake/mail/process-message.ts';
import { createTestContext, silentLog, type TestContext } from '../helpers/test-context.ts';
import {
  appendRaw,
  folderContents,
  giveTenantsFreshAddresses,
  messageId,
  OUR_SENDER,
  rfc822,
  runIntake,
} from './intake-helpers.ts';

const CHILD = fileURLToPath(new URL('./fixtures/intake-child.ts', import.meta.url));

/** Issue 3 point 5: nothing lost, nothing doubled, even when the intake dies mid-batch. */
describe('intake crash and restart', () => {
  let t: TestContext;
  let addr: { demo: string; acme: string };

  beforeAll(async () => {
    t = await createTestContext();
    addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
  });
  afterAll(async () => t?.close());

  it('gives every message exactly one case or one reply after a SIGKILL mid-batch and a restart', async () => {
    const tenant = { id: t.demoTenantId, code: 'DEMO', intakeEmail: addr.demo };
    const deps = { db: t.db, engine: t.engine, secret: 's', log: silentLog, ownAddresses: [OUR_SENDER] };
    // One case already open, so that the batch also holds replies to it.
    const open = await processInboundMail(deps, tenant, {
      raw: Buffer.from(
        rfc822({ From: 'elena.v@gmail.test', Subject: 'Gaz', 'Message-ID': messageId() }, 'Presiune mică.'),
      ),
      arrivedAt: new Date(),
    });
    if (open.status !== 'registered') throw new Error('setup failed');

    const complaints = 24;
    const replies = 6;
    for (let i = 0; i < complaints + replies; i++) {
      const isReply = i % 5 === 4;
      await appendRaw(
        addr.demo,
        isReply
          ? rfc822(
              { From: 'elena.v@gmail.test', Subject: `Re: ${open.number} (${i})`, 'Message-ID': messageId() },
              `Completare ${i}.`,
            )
          : rfc822(
              { From: `client${i}@example.test`, Subject: `Reclamația ${i}`, 'Message-ID': messageId() },
              `Factura ${i} e greșită.`,
            ),
      );
    }
    // A message whose case committed but which was never moved (the crash window itself), made deterministic.
    const committed = rfc822(
      { From: 'window@example.test', Subject: 'Fereastra', 'Message-ID': messageId() },
      'x',
    );
    const first = await processInboundMail(deps, tenant, {
      raw: Buffer.from(committed),
      arrivedAt: new Date(),
    });
    expect(first.status).toBe('registered');
    await appendRaw(addr.demo, committed);

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: {
        ...process.env,
        DATABASE_URL: t.databaseUrl,
        ENGINE_URL: inject('engineUrl'),
        ENGINE_USER: inject('engineUser'),
        ENGINE_PASSWORD: inject('enginePassword'),
        IMAP_HOST: inject('imapHost'),
        IMAP_PORT: String(inject('imapPort')),
        TENANT_ID: t.demoTenantId,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let seen = 0;
    const exited = new Promise<string>((r) =>
      child.once('exit', (code, signal) => r(signal ?? String(code))),
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the child intake processed nothing in 60 s')), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        seen += (chunk.toString().match(/^OUTCOME /gm) ?? []).length;
        if (seen >= 8) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    expect(await exited).toBe('SIGKILL');
    const left = (await folderContents(addr.demo, 'INBOX')).length;
    expect(left).toBeGreaterThan(0);

    // Restart: everything left is taken, and nothing is doubled.
    const intake = await runIntake({ db: t.db, engine: t.engine, secret: 's' }, [t.demoTenantId]);
    try {
      await intake.waitForOutcomes(left, 60_000);
    } finally {
      // An outcome is reported before its message is moved; stop lets the moves in hand finish.
      await intake.stop();
    }
    expect(await folderContents(addr.demo, 'INBOX')).toHaveLength(0);
    expect(await folderContents(addr.demo, 'Processed')).toHaveLength(complaints + replies + 1);

    const demoCases = await t.db.select().from(cases).where(eq(cases.tenantId, t.demoTenantId));
    // The open case, the 24 complaints and the one of the crash window: each once.
    expect(demoCases).toHaveLength(1 + complaints + 1);
    expect(new Set(demoCases.map((c) => c.subject)).size).toBe(demoCases.length);
    const byKind = await t.db
      .select({ kind: inboundMessages.kind, n: sql<number>`count(*)::int` })
      .from(inboundMessages)
      .where(eq(inboundMessages.tenantId, t.demoTenantId))
      .groupBy(inboundMessages.kind);
    expect(Object.fromEntries(byKind.map((r) => [r.kind, r.n]))).toEqual({
      complaint: 1 + complaints + 1,
      reply: replies,
    });
    const added = await t.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, open.caseId), eq(caseEvents.type, 'consumer_added_information')));
    expect(added).toHaveLength(replies);
  }, 180_000);
});
