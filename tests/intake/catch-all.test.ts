import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cases, inboundMessages } from '../../server/db/schema/index.ts';
import { recipientsOf } from '../../server/intake/mail/recipients.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { waitFor } from '../helpers/wait.ts';
import {
  appendRaw,
  folderContents,
  giveTenantsFreshAddresses,
  messageId,
  rfc822,
  runIntake,
  type RunningIntake,
} from './intake-helpers.ts';

/**
 * Issue 3 leftover 4: one catch-all mailbox for every tenant, routed by recipient address (Delivered-To,
 * X-Original-To, To, Cc) to the tenant whose intake address it names; a message for no known tenant stays in
 * the mailbox's Quarantine folder and opens no case anywhere.
 */
describe('catch-all mailbox routed by recipient', () => {
  let t: TestContext;
  let intake: RunningIntake;
  let addr: { demo: string; acme: string };
  const catchAll = `catchall-${randomBytes(4).toString('hex')}@reclamatii.local`;

  beforeAll(async () => {
    t = await createTestContext();
    addr = await giveTenantsFreshAddresses(t.db, { demo: t.demoTenantId, acme: t.acmeTenantId });
    intake = await runIntake(
      { db: t.db, engine: t.engine, secret: 'test-secret' },
      [t.demoTenantId, t.acmeTenantId],
      {
        catchAll: {
          host: inject('imapHost'),
          port: inject('imapPort'),
          secure: false,
          user: catchAll,
          pass: 'x',
          mailbox: 'INBOX',
          processedFolder: 'Processed',
          quarantineFolder: 'Quarantine',
        },
      },
    );
  });
  afterAll(async () => {
    await intake?.stop();
    await t?.close();
  });

  it('reads recipients in routing order, unfolded, without duplicates', () => {
    const raw = Buffer.from(
      'To: "A" <Demo@Reclamatii.local>,\r\n\tb@x.ro\r\nDelivered-To: acme@reclamatii.local\r\nCc: b@x.ro\r\n\r\nTo: body@x.ro\r\n',
    );
    expect(recipientsOf(raw)).toEqual(['acme@reclamatii.local', 'demo@reclamatii.local', 'b@x.ro']);
  });

  it('routes by To and by Delivered-To to the right tenant; only the catch-all watcher runs', async () => {
    expect([...intake.watchers.keys()]).toEqual(['*']);
    const before = intake.outcomes.length;
    await appendRaw(
      catchAll,
      rfc822(
        {
          From: 'Maria <maria.catchall@example.test>',
          To: `Furnizor <${addr.demo}>`,
          Subject: 'Factură greșită',
          'Message-ID': messageId(),
        },
        'Factura din octombrie are un index greșit.',
      ),
    );
    // Bcc'd: the visible To names someone else; the envelope (Delivered-To) names ACME's address.
    await appendRaw(
      catchAll,
      rfc822(
        {
          'Delivered-To': addr.acme,
          From: 'Ion <ion.catchall@example.test>',
          To: 'undisclosed-recipients:;',
          Subject: 'Întrerupere de curent',
          'Message-ID': messageId(),
        },
        'Nu avem curent de două zile pe strada Lalelelor.',
      ),
    );
    const outcomes = (await intake.waitForOutcomes(before + 2)).slice(before);
    const byTenant = intake.outcomes.slice(before).map((o) => [o.tenant?.id, o.outcome.status]);
    expect(byTenant).toEqual(
      expect.arrayContaining([
        [t.demoTenantId, 'registered'],
        [t.acmeTenantId, 'registered'],
      ]),
    );
    for (const o of outcomes) {
      if (o.status !== 'registered') throw new Error('expected registrations');
      const [c] = await t.db.select().from(cases).where(eq(cases.id, o.caseId));
      expect(c!.number.startsWith(c!.tenantId === t.demoTenantId ? 'DEMO-' : 'ACME-')).toBe(true);
      expect(c!.channel).toBe('email');
    }
    const demoCase = outcomes.find((o, i) => intake.outcomes[before + i]!.tenant?.id === t.demoTenantId);
    if (demoCase?.status !== 'registered') throw new Error('no DEMO case');
    const [row] = await t.db.select().from(cases).where(eq(cases.id, demoCase.caseId));
    expect(row!.tenantId).toBe(t.demoTenantId);
    expect((await folderContents(catchAll, 'Processed')).length).toBe(2);
  });

  it('keeps a message for no known tenant in Quarantine, opening no case', async () => {
    const before = intake.outcomes.length;
    const casesBefore = (await t.db.select().from(cases)).length;
    const inboundBefore = (await t.db.select().from(inboundMessages)).length;
    const raw = rfc822(
      {
        From: 'x@example.test',
        To: 'nimeni@reclamatii.local',
        Subject: 'Pentru cine?',
        'Message-ID': messageId(),
      },
      'Mesaj fără destinatar cunoscut.',
    );
    await appendRaw(catchAll, raw);
    const [o] = (await intake.waitForOutcomes(before + 1)).slice(before);
    expect(o).toEqual({ status: 'quarantine', reason: 'no tenant for its recipients' });
    expect(intake.outcomes[before]!.tenant).toBeNull();
    // The outcome is reported before the message is moved: wait for the move.
    const q = await waitFor(async () => {
      const inQuarantine = (await folderContents(catchAll, 'Quarantine')).map((b) => b.toString());
      return inQuarantine.includes(raw) ? inQuarantine : null;
    });
    expect(q).toContain(raw);
    expect((await t.db.select().from(cases)).length).toBe(casesBefore);
    expect((await t.db.select().from(inboundMessages)).length).toBe(inboundBefore);
  });
});
