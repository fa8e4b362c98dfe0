import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';

/** The audit chain's queries (audit-chain.ts keeps the hashing, the MACs and the verification). */

export const LATE_COMMIT_WINDOW = sql`interval '10 minutes'`;

/**
 * The canonical text of an audit row, computed by PostgreSQL so that it never depends on the reader's time
 * zone or on JavaScript's millisecond dates: a JSON array whose `details` is jsonb (key order normalised).
 */
export const CANONICAL = sql`json_build_array(a.id, a.tenant_id, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    a.actor_id, a.actor_kind, a.action, a.entity_type, a.entity_id, a.details)::text`;

/** One sealer per tenant at a time, for the rest of the transaction; false when another replica holds it. */
export async function tryLockTenantChain(tx: DbOrTx, tenantId: string): Promise<boolean> {
  const [lock] = await tx.execute<{ locked: boolean }>(
    sql`SELECT pg_try_advisory_xact_lock(hashtext('audit_chain'), hashtext(${tenantId})) AS locked`,
  );
  return !!lock?.locked;
}

export async function lastLink(tx: DbOrTx, tenantId: string): Promise<{ seq: number; hash: string } | null> {
  const [last] = await tx.execute<{ seq: string; hash: string }>(
    sql`SELECT seq, hash FROM audit_chain WHERE tenant_id = ${tenantId} ORDER BY seq DESC LIMIT 1`,
  );
  return last ? { seq: Number(last.seq), hash: last.hash } : null;
}

/**
 * The tenant's audit rows not sealed yet, in id order: only above a low watermark (the last link sealed more than
 * the late-commit window ago), so a round costs what arrived since, not the whole log.
 */
export function unsealedRows(tx: DbOrTx, tenantId: string, batch: number) {
  return tx.execute<{ id: string; canonical: string }>(sql`
    SELECT a.id, ${CANONICAL} AS canonical
      FROM audit_log a
     WHERE a.tenant_id = ${tenantId}
       AND a.id > coalesce((SELECT c.audit_id FROM audit_chain c
                             WHERE c.tenant_id = ${tenantId} AND c.sealed_at < now() - ${LATE_COMMIT_WINDOW}
                             ORDER BY c.seq DESC LIMIT 1), 0)
       AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id)
     ORDER BY a.id
     LIMIT ${batch}`);
}

export async function insertLinks(
  tx: DbOrTx,
  tenantId: string,
  links: { seqs: number[]; ids: string[]; hashes: string[]; macs: string[] },
) {
  await tx.execute(sql`
    INSERT INTO audit_chain (tenant_id, seq, audit_id, hash, mac)
    SELECT ${tenantId}::uuid, s, i, h, m
      FROM unnest(${`{${links.seqs.join(',')}}`}::bigint[], ${`{${links.ids.join(',')}}`}::bigint[], ${`{${links.hashes.join(',')}}`}::text[],
                  ${`{${links.macs.join(',')}}`}::text[])
           AS t(s, i, h, m)`);
}

/** A page of the tenant's chain after `afterSeq`, each link with its audit row's canonical text (null: row gone). */
export function chainPage(db: DbOrTx, tenantId: string, afterSeq: number, page: number) {
  return db.execute<{
    seq: string;
    audit_id: string;
    hash: string;
    mac: string | null;
    canonical: string | null;
  }>(sql`
    SELECT c.seq, c.audit_id, c.hash, c.mac, CASE WHEN a.id IS NULL THEN NULL ELSE ${CANONICAL} END AS canonical
      FROM audit_chain c LEFT JOIN audit_log a ON a.id = c.audit_id AND a.tenant_id = c.tenant_id
     WHERE c.tenant_id = ${tenantId} AND c.seq > ${afterSeq}
     ORDER BY c.seq
     LIMIT ${page}`);
}

/** Audit rows older than the late-commit window that no link covers. */
export async function unsealedOldCount(db: DbOrTx, tenantId: string): Promise<number> {
  const [unsealed] = await db.execute<{ n: string }>(sql`
    SELECT count(*) AS n FROM audit_log a
     WHERE a.tenant_id = ${tenantId} AND a.at < now() - ${LATE_COMMIT_WINDOW}
       AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.audit_id = a.id)`);
  return Number(unsealed?.n ?? 0);
}

/** Every tenant's chain head. */
export function chainHeads(db: DbOrTx) {
  return db.execute<{
    tenant_id: string;
    seq: string;
    hash: string;
    mac: string | null;
    sealed_at: string;
  }>(sql`
    SELECT t.id AS tenant_id, h.seq, h.hash, h.mac, to_char(h.sealed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sealed_at
      FROM tenants t
      CROSS JOIN LATERAL (SELECT c.seq, c.hash, c.mac, c.sealed_at FROM audit_chain c
                           WHERE c.tenant_id = t.id ORDER BY c.seq DESC LIMIT 1) h`);
}

/** The tenants, by id (the sealer's order) or the one with this code. */
export function chainTenants(db: DbOrTx, code?: string) {
  return db.execute<{ id: string; code: string }>(
    code
      ? sql`SELECT id, code FROM tenants WHERE code = ${code}`
      : sql`SELECT id, code FROM tenants ORDER BY id`,
  );
}
