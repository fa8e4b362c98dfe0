/**
 * The per-tenant hash chain over the audit log (design.md "Audit without a hot row").
 *
 * Writers append audit rows freely, with no shared row to contend on. One sealing job, run by every worker
 * replica but serialised per tenant by an advisory lock, then links the rows that are not yet sealed into the
 * tenant's chain: link n stores SHA-256(hash of link n-1 + canonical text of its audit row). Anyone who later
 * alters, removes or slips in a row in the sealed past (even a superuser who disables the append-only
 * trigger) breaks the chain at that link, and `verifyAuditChain` says where.
 *
 * Keyed (issue 13 item 6): the hashes alone can be recomputed by whoever writes both tables (the owner role, a
 * superuser who switches the triggers off). So each link also stores mac = HMAC-SHA256(key, tenant, seq, hash),
 * with a key derived from APP_SECRET under its own purpose label: the database never holds it, and the app's roles
 * cannot switch triggers off anyway (server/db/roles.ts). As the hash covers all history before it, a valid MAC on
 * a link vouches for everything up to there. The head is also written now and then to a file outside the database
 * (audit-anchors.ts), which catches a cut tail too (a chain shortened at a link whose MAC is genuine).
 *
 * Chain order is sealing order, which follows audit ids except when a transaction commits after a later one:
 * such a row is sealed in the next round with a higher sequence number instead of being skipped. Only rows
 * above a low watermark (the last link sealed more than LATE_COMMIT_WINDOW ago) are looked at for that, so a
 * round costs what arrived since, not the whole log.
 *
 * One file although past 300 lines: it is the chain's one definition (canonical text, link hash, MAC, the sealing
 * round and its watermark); the sealer and the verifier (verify-audit-chain.ts) must compute a link identically, and
 * split, a change to one step could miss the others.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { runPeriodically } from '../periodic.ts';
import { appendAnchor, readAnchors, type Anchor } from './audit-anchors.ts';
import { withAllTenants, withTenant } from '../db/tenant-scope.ts';
import {
  CANONICAL,
  chainHeads,
  chainPage,
  chainTenants,
  insertLinks,
  lastLink,
  tryLockTenantChain,
  unsealedOldCount,
  unsealedRows,
} from './audit-chain.repo.ts';

/** The canonical text of an audit row (the chain hashes it): defined with the chain's queries. */
export { CANONICAL };

export const GENESIS_HASH = '0'.repeat(64);
const DEFAULT_BATCH = 2000;

export function linkHash(previous: string, canonical: string): string {
  return createHash('sha256').update(previous).update('\n').update(canonical).digest('hex');
}

/** The chain's HMAC key: derived from APP_SECRET with a purpose label, so it is used for nothing else. */
export type AuditKey = Buffer & { readonly __auditKey: unique symbol };

export function auditChainKey(appSecret: string): AuditKey {
  return createHmac('sha256', appSecret).update('audit-chain-hmac/v1').digest() as AuditKey;
}

export function linkMac(key: AuditKey, tenantId: string, seq: number, hash: string): string {
  return createHmac('sha256', key).update(`${tenantId}\n${seq}\n${hash}`).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

interface LastLink {
  seq: number;
  hash: string;
}

/**
 * Seals up to `batch` unsealed rows of one tenant; returns how many it sealed (0 when another replica holds the
 * tenant). `key` null writes links without a MAC: only bench/audit-seal.ts does, to measure what the key costs.
 */
export async function sealTenant(
  db: Db,
  key: AuditKey | null,
  tenantId: string,
  batch = DEFAULT_BATCH,
): Promise<number> {
  return withTenant(tenantId, () => sealTenantInScope(db, key, tenantId, batch));
}

async function sealTenantInScope(
  db: Db,
  key: AuditKey | null,
  tenantId: string,
  batch: number,
): Promise<number> {
  return db.transaction(async (tx) => {
    if (!(await tryLockTenantChain(tx, tenantId))) return 0;

    const previous: LastLink = (await lastLink(tx, tenantId)) ?? { seq: 0, hash: GENESIS_HASH };
    const rows = await unsealedRows(tx, tenantId, batch);
    if (rows.length === 0) return 0;

    const seqs: number[] = [];
    const ids: string[] = [];
    const hashes: string[] = [];
    const macs: string[] = [];
    let { seq, hash } = previous;
    for (const row of rows) {
      seq += 1;
      hash = linkHash(hash, row.canonical);
      seqs.push(seq);
      ids.push(row.id);
      hashes.push(hash);
      macs.push(key ? linkMac(key, tenantId, seq, hash) : 'NULL');
    }
    await insertLinks(tx, tenantId, { seqs, ids, hashes, macs });
    return rows.length;
  });
}

/** Seals everything pending for every tenant; returns the number of rows sealed. */
export async function sealAll(db: Db, key: AuditKey | null, batch = DEFAULT_BATCH): Promise<number> {
  const tenants = await withAllTenants('audit sealer: lists the tenants', () => chainTenants(db));
  let total = 0;
  for (const { id } of tenants) {
    for (;;) {
      const n = await sealTenant(db, key, id, batch);
      total += n;
      if (n < batch) break;
    }
  }
  return total;
}

export type BreakReason = 'row-missing' | 'row-changed' | 'mac-missing' | 'mac-invalid';

export interface AnchorFailure {
  seq: number;
  /** missing: the chain no longer reaches that link; different: the link's hash or MAC is not what was anchored;
   *  mac-invalid: the anchored MAC itself does not verify with the key (the file was written by someone else). */
  reason: 'missing' | 'different' | 'mac-invalid';
}

export interface ChainReport {
  tenantId: string;
  /** Links checked. */
  links: number;
  ok: boolean;
  /** The first link that does not match, and why. */
  brokenAt?: { seq: number; auditId: number; reason: BreakReason };
  /** Links sealed before the chain was keyed (a prefix with no MAC; anything unkeyed after a keyed link breaks). */
  unkeyed: number;
  /** Audit rows older than the late-commit window that no link covers (sealing stopped, or a row slipped in). */
  unsealedOld: number;
  /** Anchors compared with the chain (when an anchor folder was given), and those that no longer match. */
  anchors: { checked: number; failed: AnchorFailure[]; unreadable: number };
}

export interface VerifyOptions {
  /** Without the key only the hashes are checked, which the owner role can recompute. */
  key: AuditKey | null;
  /** The anchor folder to compare with (audit-anchors.ts); none: no anchor check. */
  anchorDir?: string;
  page?: number;
}

/**
 * Recomputes a tenant's chain from the genesis hash, page by page, checks every link's MAC with the key and every
 * anchored head against the link with its sequence. After the first broken link it goes on comparing anchors, so
 * a report names both what the chain says and what the anchors say.
 */
export async function verifyAuditChain(db: Db, tenantId: string, opts: VerifyOptions): Promise<ChainReport> {
  const page = opts.page ?? 5000;
  const { anchors, unreadable } = opts.anchorDir
    ? await readAnchors(opts.anchorDir, tenantId)
    : { anchors: [] as Anchor[], unreadable: 0 };
  const anchoredAt = new Map<number, Anchor[]>();
  for (const a of anchors) anchoredAt.set(a.seq, [...(anchoredAt.get(a.seq) ?? []), a]);
  const failed: AnchorFailure[] = [];
  if (opts.key) {
    for (const a of anchors)
      if (!sameHex(a.mac, linkMac(opts.key, tenantId, a.seq, a.hash)))
        failed.push({ seq: a.seq, reason: 'mac-invalid' });
  }

  let previous = GENESIS_HASH;
  let links = 0;
  let unkeyed = 0;
  let keyedSeen = false;
  let brokenAt: ChainReport['brokenAt'];
  let afterSeq = 0;
  for (;;) {
    const rows = await chainPage(db, tenantId, afterSeq, page);
    for (const row of rows) {
      const seq = Number(row.seq);
      const auditId = Number(row.audit_id);
      for (const a of anchoredAt.get(seq) ?? [])
        if (a.hash !== row.hash || a.mac !== row.mac) failed.push({ seq, reason: 'different' });
      anchoredAt.delete(seq);
      if (!brokenAt) {
        let reason: BreakReason | undefined;
        if (seq !== afterSeq + 1 || row.canonical === null) reason = 'row-missing';
        else if (linkHash(previous, row.canonical) !== row.hash) reason = 'row-changed';
        else if (row.mac === null) {
          // With the key, every link must carry its MAC: the sealer has always written one. Accepting a prefix
          // without MACs let a rewrite drop every MAC and pass as a chain "sealed before it was keyed".
          if (keyedSeen || opts.key) reason = 'mac-missing';
          else unkeyed += 1;
        } else {
          keyedSeen = true;
          if (opts.key && !sameHex(row.mac, linkMac(opts.key, tenantId, seq, row.hash)))
            reason = 'mac-invalid';
        }
        if (reason) brokenAt = { seq, auditId, reason };
        else links += 1;
      }
      previous = row.hash;
      afterSeq = seq;
    }
    if (rows.length < page) break;
  }
  // Anchored heads the chain no longer reaches: its tail was cut (or sequence numbers rewritten).
  for (const seq of anchoredAt.keys()) failed.push({ seq, reason: 'missing' });
  failed.sort((a, b) => a.seq - b.seq);

  const unsealedOld = brokenAt ? 0 : await unsealedOldCount(db, tenantId);
  return {
    tenantId,
    links,
    ok: !brokenAt && unsealedOld === 0 && failed.length === 0,
    ...(brokenAt ? { brokenAt } : {}),
    unkeyed,
    unsealedOld,
    anchors: { checked: anchors.length, failed, unreadable },
  };
}

/**
 * Writes each tenant's chain head to its anchor file when it moved since the last anchor this process wrote (or,
 * after a restart, since the file's last line). A head whose MAC does not verify is not anchored (logged): the
 * anchor must never vouch for a chain someone else wrote.
 */
export async function anchorHeads(
  db: Db,
  key: AuditKey,
  dir: string,
  lastAnchored: Map<string, number>,
  log?: { warn: (obj: object, msg: string) => void },
): Promise<number> {
  const heads = await withAllTenants("audit anchor: every tenant's chain head", () => chainHeads(db));
  let written = 0;
  for (const h of heads) {
    const seq = Number(h.seq);
    if (!lastAnchored.has(h.tenant_id)) {
      const { anchors } = await readAnchors(dir, h.tenant_id);
      lastAnchored.set(
        h.tenant_id,
        anchors.reduce((m, a) => Math.max(m, a.seq), 0),
      );
    }
    if (seq <= (lastAnchored.get(h.tenant_id) ?? 0)) continue;
    if (h.mac === null || !sameHex(h.mac, linkMac(key, h.tenant_id, seq, h.hash))) {
      log?.warn(
        { tenantId: h.tenant_id, seq },
        'audit chain head does not verify with the key; not anchored',
      );
      continue;
    }
    await appendAnchor(dir, {
      tenantId: h.tenant_id,
      seq,
      hash: h.hash,
      mac: h.mac,
      sealedAt: h.sealed_at,
      anchoredAt: new Date().toISOString(),
    });
    lastAnchored.set(h.tenant_id, seq);
    written += 1;
  }
  return written;
}

/**
 * Runs `sealAll` every `intervalMs` and writes the heads to the anchor folder every `anchorEveryMs` (default five
 * minutes) until stopped; a failed round is logged (no personal data) and retried.
 */
export function startAuditSealer(
  db: Db,
  key: AuditKey,
  log: { warn: (obj: object, msg: string) => void },
  opts: { intervalMs?: number; anchorDir?: string; anchorEveryMs?: number } = {},
): { stop: () => Promise<void> } {
  const lastAnchored = new Map<string, number>();
  let anchoredAt = 0;
  return runPeriodically(opts.intervalMs ?? 5000, async () => {
    try {
      await sealAll(db, key);
      if (opts.anchorDir && Date.now() - anchoredAt >= (opts.anchorEveryMs ?? 5 * 60_000)) {
        await anchorHeads(db, key, opts.anchorDir, lastAnchored, log);
        anchoredAt = Date.now();
      }
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'audit sealing failed; retrying');
    }
  });
}

/** The tenants to verify: the one with this code, or all of them by code. */
export async function tenantsToVerify(db: Db, code?: string): Promise<Array<{ id: string; code: string }>> {
  const rows = [...(await chainTenants(db, code))];
  return rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
