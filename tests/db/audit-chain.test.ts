import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appendAudit } from '../../server/audit/index.ts';
import { readAnchors } from '../../server/audit/audit-anchors.ts';
import {
  anchorHeads,
  auditChainKey,
  CANONICAL,
  linkHash,
  linkMac,
  sealAll,
  sealTenant,
  verifyAuditChain,
  type AuditKey,
} from '../../server/audit/audit-chain.ts';
import { verifyCommand } from '../../server/audit/verify-audit-chain.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';
import { withTenant } from '../../server/db/tenant-scope.ts';

const key = (): AuditKey => auditChainKey(inject('appSecret'));
const noAnchors = () => ({ key: key() });

/** Rewrites one audit row the way only a superuser could: with the append-only trigger switched off. */
async function tamper(t: TestContext, statement: ReturnType<typeof sql>) {
  await t.db.transaction(async (tx) => {
    await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    await tx.execute(statement);
    await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
  });
}

// One story in steps: each test goes on from the state the one before left, so they keep their order here (the
// test files themselves run in any order).
describe('audit hash chain', { shuffle: false }, () => {
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
    const sealed = await sealAll(t.workersDb, key());
    const [count] = await t.db.execute<{ n: string }>(sql`SELECT count(*) AS n FROM audit_log`);
    expect(sealed).toBe(Number(count!.n));
    expect(await sealAll(t.workersDb, key())).toBe(0); // nothing left, nothing sealed twice

    const demo = await verifyAuditChain(t.db, t.demoTenantId, noAnchors());
    const acme = await verifyAuditChain(t.db, t.acmeTenantId, noAnchors());
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
      expect(await sealTenant(t.workersDb, key(), t.demoTenantId)).toBe(0);
    });
    // Several sealers racing with small batches still give one gapless chain.
    const counts = await Promise.all([1, 2, 3].map(() => sealAll(t.workersDb, key(), 7)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(50);
    expect((await verifyAuditChain(t.db, t.demoTenantId, noAnchors())).ok).toBe(true);
  });

  it('finds a row changed behind the trigger, and says which link breaks', async () => {
    const [victim] = await t.db.execute<{ id: string; seq: string }>(sql`
      SELECT c.audit_id AS id, c.seq FROM audit_chain c
       WHERE c.tenant_id = ${t.demoTenantId} ORDER BY c.seq OFFSET 5 LIMIT 1`);
    await tamper(t, sql`UPDATE audit_log SET details = '{"i": 999}' WHERE id = ${victim!.id}`);
    const report = await verifyAuditChain(t.db, t.demoTenantId, noAnchors());
    expect(report.ok).toBe(false);
    expect(report.brokenAt).toEqual({
      seq: Number(victim!.seq),
      auditId: Number(victim!.id),
      reason: 'row-changed',
    });
    expect(report.links).toBe(Number(victim!.seq) - 1);
    // The other tenant's chain is untouched.
    expect((await verifyAuditChain(t.db, t.acmeTenantId, noAnchors())).ok).toBe(true);

    const cli = await verifyCommand(['--tenant', 'DEMO'], {
      DATABASE_URL: t.databaseUrl,
      APP_SECRET: inject('appSecret'),
      DATA_DIR: await mkdtemp(path.join(os.tmpdir(), 'anchors-')),
    });
    expect(cli.ok).toBe(false);
    expect(cli.lines[0]).toMatch(new RegExp(`^DEMO: BROKEN at link ${victim!.seq} `));
  });

  it('finds a removed row', async () => {
    const [victim] = await t.db.execute<{ id: string; seq: string }>(sql`
      SELECT c.audit_id AS id, c.seq FROM audit_chain c
       WHERE c.tenant_id = ${t.acmeTenantId} ORDER BY c.seq DESC LIMIT 1`);
    await tamper(t, sql`DELETE FROM audit_log WHERE id = ${victim!.id}`);
    const report = await verifyAuditChain(t.db, t.acmeTenantId, noAnchors());
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

// One story in steps: each test goes on from the state the one before left, so they keep their order here (the
// test files themselves run in any order).
describe('keyed audit chain and anchors outside the database', { shuffle: false }, () => {
  let t: TestContext;
  let dataDir: string;
  let dir: string;

  /** A tenant of its own per test, with `n` sealed audit rows and its head anchored. */
  async function sealedTenant(n: number): Promise<string> {
    const code = `K${randomBytes(3).toString('hex').toUpperCase()}`;
    const [tenant] = await t.db.execute<{ id: string }>(
      sql`INSERT INTO tenants (code, name, intake_email) VALUES (${code}, ${code}, ${`${code}@example.test`}) RETURNING id`,
    );
    for (let i = 0; i < n; i++)
      await withTenant(tenant!.id, () =>
        appendAudit(t.appDb, {
          tenantId: tenant!.id,
          actorKind: 'user',
          action: 'case.viewed',
          entityType: 'case',
          entityId: `${code}-${i}`,
          details: { i },
        }),
      );
    await sealTenant(t.workersDb, key(), tenant!.id);
    await anchorHeads(t.workersDb, key(), dir, new Map());
    return tenant!.id;
  }

  /** What the owner role (or a superuser) can do without the key: rewrite a row and recompute every later hash. */
  async function rewriteFrom(tenantId: string, seq: number) {
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      await tx.execute(sql`ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_append_only`);
      await tx.execute(sql`UPDATE audit_log a SET details = '{"i": "rewritten"}'
                            FROM audit_chain c WHERE c.audit_id = a.id AND c.tenant_id = ${tenantId} AND c.seq = ${seq}`);
      const links = await tx.execute<{ seq: string; hash: string; canonical: string }>(sql`
        SELECT c.seq, c.hash, ${CANONICAL} AS canonical FROM audit_chain c JOIN audit_log a ON a.id = c.audit_id
         WHERE c.tenant_id = ${tenantId} ORDER BY c.seq`);
      let previous = '0'.repeat(64);
      for (const l of links) {
        const hash = linkHash(previous, l.canonical);
        if (Number(l.seq) >= seq)
          await tx.execute(
            sql`UPDATE audit_chain SET hash = ${hash} WHERE tenant_id = ${tenantId} AND seq = ${l.seq}`,
          );
        previous = hash;
      }
      await tx.execute(sql`ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_append_only`);
      await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    });
  }

  beforeAll(async () => {
    t = await createTestContext({ taskEvents: false });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'audit-anchors-'));
    dir = path.join(dataDir, 'audit-anchors');
  });
  afterAll(async () => {
    await t?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('every link carries an HMAC the key verifies, and the head is anchored in a JSON line file', async () => {
    const tenantId = await sealedTenant(5);
    const links = await t.db.execute<{ seq: string; hash: string; mac: string }>(
      sql`SELECT seq, hash, mac FROM audit_chain WHERE tenant_id = ${tenantId} ORDER BY seq`,
    );
    expect(links).toHaveLength(5);
    for (const l of links) expect(l.mac).toBe(linkMac(key(), tenantId, Number(l.seq), l.hash));
    const file = await readFile(path.join(dir, `${tenantId}.jsonl`), 'utf8');
    expect(file.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(file)).toMatchObject({ tenantId, seq: 5, hash: links[4]!.hash, mac: links[4]!.mac });
    // The head did not move: nothing is written again.
    expect(await anchorHeads(t.workersDb, key(), dir, new Map())).toBe(0);
    const report = await verifyAuditChain(t.db, tenantId, { key: key(), anchorDir: dir });
    expect(report).toMatchObject({ ok: true, links: 5, unkeyed: 0, anchors: { checked: 1, failed: [] } });
    // Another key (another installation's, or a guess) does not verify the chain.
    const other = await verifyAuditChain(t.db, tenantId, { key: auditChainKey('not the secret') });
    expect(other.brokenAt).toMatchObject({ seq: 1, reason: 'mac-invalid' });
  });

  it('a history rewritten as the owner, with every hash recomputed, fails on the HMAC and on the anchor', async () => {
    const tenantId = await sealedTenant(8);
    // Without the key the rewrite is perfect: the hash chain alone still verifies.
    await rewriteFrom(tenantId, 3);
    const [link3] = await t.db.execute<{ audit_id: string }>(
      sql`SELECT audit_id FROM audit_chain WHERE tenant_id = ${tenantId} AND seq = 3`,
    );
    const report = await verifyAuditChain(t.db, tenantId, { key: key(), anchorDir: dir });
    expect(report.ok).toBe(false);
    expect(report.brokenAt).toEqual({ seq: 3, auditId: Number(link3!.audit_id), reason: 'mac-invalid' });
    expect(report.links).toBe(2);
    expect(report.anchors.failed).toEqual([{ seq: 8, reason: 'different' }]);
    // The anchor alone catches it too, even for a verifier that lost the key.
    const keyless = await verifyAuditChain(t.db, tenantId, { key: null, anchorDir: dir });
    expect(keyless.brokenAt).toBeUndefined();
    expect(keyless.anchors.failed).toEqual([{ seq: 8, reason: 'different' }]);
    expect(keyless.ok).toBe(false);
  });

  it('a rewrite that drops every MAC fails with the key, even with the anchors moved away', async () => {
    const tenantId = await sealedTenant(3);
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_append_only`);
      await tx.execute(sql`UPDATE audit_chain SET mac = NULL WHERE tenant_id = ${tenantId}`);
      await tx.execute(sql`ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_append_only`);
    });
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'no-anchors-'));
    const report = await verifyAuditChain(t.db, tenantId, { key: key(), anchorDir: elsewhere });
    expect(report.brokenAt?.reason).toBe('mac-missing');
    expect(report.brokenAt?.seq).toBe(1);
    expect(report.ok).toBe(false);
  });

  it('a chain cut back to a genuine link still verifies by HMAC, and the anchor catches the missing tail', async () => {
    const tenantId = await sealedTenant(6);
    await t.db.transaction(async (tx) => {
      await tx.execute(sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      await tx.execute(sql`ALTER TABLE audit_chain DISABLE TRIGGER audit_chain_append_only`);
      await tx.execute(sql`DELETE FROM audit_log WHERE id IN
                             (SELECT audit_id FROM audit_chain WHERE tenant_id = ${tenantId} AND seq > 4)`);
      await tx.execute(sql`DELETE FROM audit_chain WHERE tenant_id = ${tenantId} AND seq > 4`);
      await tx.execute(sql`ALTER TABLE audit_chain ENABLE TRIGGER audit_chain_append_only`);
      await tx.execute(sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    });
    const report = await verifyAuditChain(t.db, tenantId, { key: key(), anchorDir: dir });
    expect(report.brokenAt).toBeUndefined();
    expect(report.links).toBe(4);
    expect(report.anchors.failed).toEqual([{ seq: 6, reason: 'missing' }]);
    expect(report.ok).toBe(false);
  });

  it('an anchor line written without the key is not believed', async () => {
    const tenantId = await sealedTenant(2);
    const [head] = await t.db.execute<{ hash: string }>(
      sql`SELECT hash FROM audit_chain WHERE tenant_id = ${tenantId} AND seq = 2`,
    );
    const file = path.join(dir, `${tenantId}.jsonl`);
    await writeFile(
      file,
      `${await readFile(file, 'utf8')}${JSON.stringify({ tenantId, seq: 2, hash: head!.hash, mac: 'ab'.repeat(32) })}\n{"torn`,
    );
    const { anchors, unreadable } = await readAnchors(dir, tenantId);
    expect(anchors).toHaveLength(2);
    expect(unreadable).toBe(1);
    const report = await verifyAuditChain(t.db, tenantId, { key: key(), anchorDir: dir });
    expect(report.anchors.failed).toEqual([
      { seq: 2, reason: 'mac-invalid' },
      { seq: 2, reason: 'different' },
    ]);
    expect(report.anchors.unreadable).toBe(1);
  });

  it('npm run audit:verify reports the HMAC break and the anchors, and exits non-zero', async () => {
    const tenantId = await sealedTenant(4);
    const [tenant] = await t.db.execute<{ code: string }>(
      sql`SELECT code FROM tenants WHERE id = ${tenantId}`,
    );
    const env = {
      DATABASE_URL: t.databaseUrl,
      APP_SECRET: inject('appSecret'),
      DATA_DIR: dataDir,
    };
    const good = await verifyCommand(['--tenant', tenant!.code], env);
    expect(good).toEqual({ ok: true, lines: [`${tenant!.code}: ok, 4 links; 1 anchors checked`] });
    await rewriteFrom(tenantId, 2);
    const bad = await verifyCommand(['--tenant', tenant!.code], env);
    expect(bad.ok).toBe(false);
    expect(bad.lines[0]).toMatch(
      new RegExp(
        `^${tenant!.code}: BROKEN at link 2 \\(audit row \\d+: mac-invalid\\) after 1 good links; ANCHORS DIFFER: link 4 different`,
      ),
    );
    await expect(verifyCommand([], { ...env, APP_SECRET: '', DATA_DIR: dir })).rejects.toThrow(
      /APP_SECRET is unset/,
    );
  });
});
