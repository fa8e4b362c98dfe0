/**
 * The per-tenant hash chain over the audit log (design.md "Audit without a hot row").
 *
 * Writers append audit rows freely, with no shared row to contend on. One sealing job, run by every worker
 * replica but serialised per tenant by an advisory lock, then links the rows that are not yet sealed into the
 * tenant's chain: link n stores SHA-256(hash of link n-1 + canonical text of its audit row). Anyone who later
 * alters, removes or slips in a row in the sealed past (even a superuser who disables the append-only
 * trigger) breaks the chain at that link, and `verifyAuditChain` says where.
 *
 * Chain order is sealing order, which follows audit ids except when a transaction commits after a later one:
 * such a row is sealed in the next round with a higher sequence number instead of being skipped. Only rows
 * above a low watermark (the last link sealed more than LATE_COMMIT_WINDOW ago) are looked at for that, so a
 * round costs what arrived since, not the whole log.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { runPeriodically } from '../periodic.ts';

export const GENESIS_HASH = '0'.repeat(64);
const LATE_COMMIT_WINDOW = "interval '10 minutes'";
const DEFAULT_BATCH = 2000;

/**
 * The canonical text of an audit row, computed by PostgreSQL so that it never depends on the reader's time
 * zone or on JavaScript's millisecond dates: a JSON array whose `details` is jsonb (key order normalised).
 */
const CANONICAL = sql.raw(
  `json_build_array(a.id, a.tenant_id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    a.actor_id, a.actor_kind, a.action, a.entity_type, a.entity_id, a.details)::text`,
);

export function linkHash(previous: string, canonical: string): string {
  return createHash('sha256').update(previous).update('\n').update(canonical).digest('hex');
}

interface LastLink {
  seq: number;
  hash: string;
}

/** Seals up to `batch` unsealed rows of one tenant; returns how many it sealed (0 when another replica holds the tenant). */
export async function sealTenant(db: Db, tenantId: string, batch = DEFAULT_BATCH): Promise<number> {
  return db.transaction(async (tx) => {
    const [lock] = await tx.execute<{ locked: boolean }>(
      sql`SELECT pg_try_advisory_xact_lock(hashtext('audit_chain'), hashtext(${tenantId})) AS locked`,
    );
    if (!lock?.locked) return 0;

    const [last] = await tx.execute<{ seq: string; hash: string }>(
      sql`SELECT seq, hash FROM audit_chain WHERE tenant_id = ${tenantId} ORDER BY seq DESC LIMIT 1`,
    );
    const previous: LastLink = last
      ? { seq: Number(last.seq), hash: last.hash }
      : { seq: 0, hash: GENESIS_HASH };
    const rows = await tx.execute<{ id: string; canonical: string }>(sql`
      SELECT a.id, ${CANONICAL} AS canonical
        FROM audit_log a
       WHERE a.tenant_id = ${tenantId}
         AND a.id > coalesce((SELECT c.audit_id FROM audit_chain c
                               WHERE c.tenant_id = ${tenantId} AND c.sealed_at < now() - ${sql.raw(LATE_COMMIT_WINDOW)}
                               ORDER BY c.seq DESC LIMIT 1), 0)
         AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id)
       ORDER BY a.id
       LIMIT ${batch}`);
    if (rows.length === 0) return 0;

    const seqs: number[] = [];
    const ids: string[] = [];
    const hashes: string[] = [];
    let { seq, hash } = previous;
    for (const row of rows) {
      seq += 1;
      hash = linkHash(hash, row.canonical);
      seqs.push(seq);
      ids.push(row.id);
      hashes.push(hash);
    }
    await tx.execute(sql`
      INSERT INTO audit_chain (tenant_id, seq, audit_id, hash)
      SELECT ${tenantId}::uuid, s, i, h
        FROM unnest(${`{${seqs.join(',')}}`}::bigint[], ${`{${ids.join(',')}}`}::bigint[], ${`{${hashes.join(',')}}`}::text[])
             AS t(s, i, h)`);
    return rows.length;
  });
}

/** Seals everything pending for every tenant; returns the number of rows sealed. */
export async function sealAll(db: Db, batch = DEFAULT_BATCH): Promise<number> {
  const tenants = await db.execute<{ id: string }>(sql`SELECT id FROM tenants ORDER BY id`);
  let total = 0;
  for (const { id } of tenants) {
    for (;;) {
      const n = await sealTenant(db, id, batch);
      total += n;
      if (n < batch) break;
    }
  }
  return total;
}

export interface ChainReport {
  tenantId: string;
  /** Links checked. */
  links: number;
  ok: boolean;
  /** The first link that does not match, and why. */
  brokenAt?: { seq: number; auditId: number; reason: 'row-missing' | 'row-changed' };
  /** Audit rows older than the late-commit window that no link covers (sealing stopped, or a row slipped in). */
  unsealedOld: number;
}

/** Recomputes a tenant's chain from the genesis hash, page by page. */
export async function verifyAuditChain(db: Db, tenantId: string, page = 5000): Promise<ChainReport> {
  let previous = GENESIS_HASH;
  let links = 0;
  let afterSeq = 0;
  for (;;) {
    const rows = await db.execute<{
      seq: string;
      audit_id: string;
      hash: string;
      canonical: string | null;
    }>(sql`
      SELECT c.seq, c.audit_id, c.hash, CASE WHEN a.id IS NULL THEN NULL ELSE ${CANONICAL} END AS canonical
        FROM audit_chain c LEFT JOIN audit_log a ON a.id = c.audit_id AND a.tenant_id = c.tenant_id
       WHERE c.tenant_id = ${tenantId} AND c.seq > ${afterSeq}
       ORDER BY c.seq
       LIMIT ${page}`);
    for (const row of rows) {
      const seq = Number(row.seq);
      const auditId = Number(row.audit_id);
      if (seq !== afterSeq + 1 || row.canonical === null) {
        return {
          tenantId,
          links,
          ok: false,
          brokenAt: { seq, auditId, reason: 'row-missing' },
          unsealedOld: 0,
        };
      }
      const expected = linkHash(previous, row.canonical);
      if (expected !== row.hash) {
        return {
          tenantId,
          links,
          ok: false,
          brokenAt: { seq, auditId, reason: 'row-changed' },
          unsealedOld: 0,
        };
      }
      previous = row.hash;
      afterSeq = seq;
      links += 1;
    }
    if (rows.length < page) break;
  }
  const [unsealed] = await db.execute<{ n: string }>(sql`
    SELECT count(*) AS n FROM audit_log a
     WHERE a.tenant_id = ${tenantId} AND a.at < now() - ${sql.raw(LATE_COMMIT_WINDOW)}
       AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id)`);
  const unsealedOld = Number(unsealed?.n ?? 0);
  return { tenantId, links, ok: unsealedOld === 0, unsealedOld };
}

/** Runs `sealAll` every `intervalMs` until stopped; a failed round is logged (no personal data) and retried. */
export function startAuditSealer(
  db: Db,
  log: { warn: (obj: object, msg: string) => void },
  intervalMs = 5000,
): { stop: () => Promise<void> } {
  return runPeriodically(intervalMs, () =>
    sealAll(db).catch((err: unknown) =>
      log.warn({ err: (err as Error).message }, 'audit sealing failed; retrying'),
    ),
  );
}
