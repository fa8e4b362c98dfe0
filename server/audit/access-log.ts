import type { DbOrTx } from '../db/client.ts';
import type { AccessSubject } from '../codes/privacy-codes.ts';
import { caseIdOfNumber, insertAccessRows, insertCaseAccessRows, listAccess } from './access-log.repo.ts';

/**
 * The personal-data access log (GDPR art. 32, issue 13 item 7): who read whose data, when and why. One insert per
 * read, several rows in one statement when a read shows several people (a customer search). Never names, never
 * the search text: ids, and the `via` the client named (a task, a search, a page). It sits in the audit module
 * beside the audit log: both are append-only records every module writes, so both sit below every module.
 */
export interface AccessEntry {
  tenantId: string;
  actorId: string;
  subjectType: AccessSubject;
  subjectId: string;
  customerId?: string | null;
  caseId?: string | null;
  via?: string | null;
}

export interface CaseAccessEntry {
  tenantId: string;
  actorId: string;
  subjectType: AccessSubject;
  subjectIds: string[];
  caseId: string;
  via?: string | null;
}

export const VIA_HEADER = 'x-access-via';
const VIA_MAX = 120;

/** The parts of a request `viaOf` reads (a Fastify request has them). */
export interface ViaSource {
  headers: Record<string, string | string[] | undefined>;
  url: string;
  method: string;
  routeOptions: { url?: string | undefined };
}

/**
 * Why the read happened, as the client says it: the `X-Access-Via` header (the web app sets it) or a `via` /
 * `reason` query parameter. Only printable characters, capped, so the log cannot be flooded or forged with line
 * breaks; a plain character scan, no regular expression over untrusted text. A caller that names nothing (an
 * integrator, a script) still leaves a row that says what led there: `otherwise` when the route knows better (the
 * post room's letter: `postal:<dispatch>`), else the route it called, e.g. `GET /api/complaints/:number`.
 */
export function viaOf(req: ViaSource, otherwise?: string): string {
  let raw = req.headers[VIA_HEADER];
  if (Array.isArray(raw)) raw = raw[0];
  if (!raw) {
    const q = req.url.indexOf('?');
    if (q >= 0) {
      const params = new URLSearchParams(req.url.slice(q + 1, q + 1 + 2048));
      raw = params.get('via') ?? params.get('reason') ?? undefined;
    }
  }
  let out = '';
  for (const ch of (raw ?? '').slice(0, VIA_MAX)) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || c === 0x7f ? ' ' : ch;
  }
  return (
    out.trim() ||
    otherwise ||
    `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`.slice(0, VIA_MAX)
  );
}

export async function logAccess(db: DbOrTx, entries: AccessEntry | AccessEntry[]): Promise<void> {
  const rows = Array.isArray(entries) ? entries : [entries];
  if (rows.length === 0) return;
  await insertAccessRows(db, rows);
}

/**
 * Reads of a case's parts where the caller does not hold the case row: the person the case is about is taken from
 * the case in the same statement (one insert for all the parts read).
 */
export async function logCaseAccess(db: DbOrTx, e: CaseAccessEntry): Promise<void> {
  if (e.subjectIds.length === 0) return;
  await insertCaseAccessRows(db, e);
}

export interface AccessQuery {
  actorId?: string | undefined;
  customerId?: string | undefined;
  /** Keyset paging: entries older than this id. */
  before?: number | undefined;
  limit: number;
}

/** The access log as the DPO reads it: a case named by its number (none of this tenant's: nothing). */
export async function accessLogOf(
  db: DbOrTx,
  tenantId: string,
  q: AccessQuery & { caseNumber?: string | undefined },
) {
  let caseId: string | undefined;
  if (q.caseNumber) {
    const id = await caseIdOfNumber(db, tenantId, q.caseNumber);
    if (!id) return [];
    caseId = id;
  }
  const rows = await listAccess(db, tenantId, { ...q, caseId });
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
