import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../server/audit/audit.repo.ts';
import { sealAll, sealTenant, verifyAuditChain } from '../../server/audit/audit-chain.ts';
import { verifyCommand } from '../../server/audit/verify-audit-chain.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

/** Rewrites one audit row the way only a superuser could: with the append-only trigger switched off. */
async function tamper(t: TestContext, statement: ReturnType<typeof sql>) {
  await t.db.transaction(async (tx) => {
    await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    await tx.execute(statement);
    await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
  });
}

describe('audit hash chain', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await createTestContext();
    for (let i = 0; i < 30; i++) {
      await appendAudit(t.db, {
        tenantId: i % 3 ? t.demoTenantId : t.acmeTenantId,
        actorKind: 'system',
        action: 'test.event',
        entityType: 'test',
        entityId: String(i),
        details: { i, note: 'ș ț ă' },
      });
    }
  });
  afterAll(async () => t?.close());

  it('seals every row once, per tenant, in a chain that verifies', async () => {
    const sealed = await sealAll(t.db);
    const [count] = await t.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM audit_log`);
    expect(sealed).toBe(Number(count!.n));
    expect(await sealAll(t.db)).toBe(0); // nothing left, nothing sealed twice

    const demo = await verifyAuditChain(t.db, t.demoTenantId);
    const acme = await verifyAuditChain(t.db, t.acmeTenantId);
    expect(demo).toMatchObject({ ok: true, unsealedOld: 0 });
    expect(acme.ok).toBe(true);
    expect(demo.links + acme.links).toBe(sealed);
    const [links] = await t.db.execute<{ n: string }>(
      sql`SELECT count(DISTINCT audit_id) AS n FROM audit_chain`,
    );
    expect(Number(links!.n)).toBe(sealed);
  });

  it('two sealers at once never fork a chain', async () => {
    for (let i = 0; i < 50; i++) {
      await appendAudit(t.db, {
        tenantId: t.demoTenantId,
        actorKind: 'system',
        action: 'test.burst',
        entityType: 'test',
        entityId: `b${i}`,
      });
    }
    // While another replica holds the tenant, a sealer steps aside instead of forking the chain.
    await t.db.transaction(async (tx) => {
      await tx.execute(
        sql`SELECT pg_advisory_xact_lock(hashtext('audit_chain'), hashtext(${t.demoTenantId}))`,
      );
      expect(await sealTenant(t.db, t.demoTenantId)).toBe(0);
    });
    // Several sealers racing with small batches still give one gapless chain.
    const counts = await Promise.all([1, 2, 3].map(() => sealAll(t.db, 7)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(50);
    expect((await verifyAuditChain(t.db, t.demoTenantId)).ok).toBe(true);
  });

  it('finds a row changed behind the trigger, and says which link breaks', async () => {
    const [victim] = await t.db.execute<{ id: string; seq: string }>(sql`
      SELECT c.audit_id AS id, c.seq FROM audit_chain c
       WHERE c.tenant_id = ${t.demoTenantId} ORDER BY c.seq OFFSET 5 LIMIT 1`);
    await tamper(t, sql`UPDATE audit_log SET details = '{"i": 999}' WHERE id = ${victim!.id}`);
    const report = await verifyAuditChain(t.db, t.demoTenantId);
    expect(report.ok).toBe(false);
    expect(report.brokenAt).toEqual({
      seq: Number(victim!.seq),
      auditId: Number(victim!.id),
      reason: 'row-changed',
    });
    expect(report.links).toBe(Number(victim!.seq) - 1);
    // The other tenant's chain is untouched.
    expect((await verifyAuditChain(t.db, t.acmeTenantId)).ok).toBe(true);

    const cli = await verifyCommand(['--tenant', 'DEMO'], { DATABASE_URL: t.databaseUrl });
    expect(cli.ok).toBe(false);
    expect(cli.lines[0]).toMatch(new RegExp(`^DEMO: BROKEN at link ${victim!.seq} `));
  });

  it('finds a removed row', async () => {
    const [victim] = await t.db.execute<{ id: string; seq: string }>(sql`
      SELECT c.audit_id AS id, c.seq FROM audit_chain c
       WHERE c.tenant_id = ${t.acmeTenantId} ORDER BY c.seq DESC LIMIT 1`);
    await tamper(t, sql`DELETE FROM audit_log WHERE id = ${victim!.id}`);
    const report = await verifyAuditChain(t.db, t.acmeTenantId);
    expect(report.brokenAt).toEqual({
      seq: Number(victim!.seq),
      auditId: Number(victim!.id),
      reason: 'row-missing',
    });
  });

  it('refuses to alter the chain itself', async () => {
    await expect(t.db.execute(sql`UPDATE audit_chain SET hash = 'x'`)).rejects.toThrow();
    await expect(t.db.execute(sql`DELETE FROM audit_chain`)).rejects.toThrow();
  });
});
