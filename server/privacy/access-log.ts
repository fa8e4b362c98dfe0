import { and, desc, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cases, personalDataAccess, users } from '../db/schema/index.ts';
import type { AccessSubject } from '../codes/privacy-codes.ts';

/**
 * The personal-data access log (GDPR art. 32, issue 13 item 7): who read whose data, when and why. One insert per
 * read, several rows in one statement when a read shows several people (a customer search). Never names, never
 * the search text: ids, and the `via` the client named (a task, a search, a page).
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

export const VIA_HEADER = 'x-access-via';
const VIA_MAX = 120;

/**
 * Why the read happened, as the client says it: the `X-Access-Via` header (the web app sets it) or a `via` /
 * `reason` query parameter. Only printable characters, capped, so the log cannot be flooded or forged with line
 * breaks; a plain character scan, no regular expression over untrusted text.
 */
export function viaOf(headers: Record<string, string | string[] | undefined>, url: string): string | null {
  let raw = headers[VIA_HEADER];
  if (Array.isArray(raw)) raw = raw[0];
  if (!raw) {
    const q = url.indexOf('?');
    if (q >= 0) {
      const params = new URLSearchParams(url.slice(q + 1, q + 1 + 2048));
      raw = params.get('via') ?? params.get('reason') ?? undefined;
    }
  }
  if (!raw) return null;
  let out = '';
  for (const ch of raw.slice(0, VIA_MAX)) {
    const c = ch.codePointAt(0)!;
    out += c < 0x20 || c === 0x7f ? ' ' : ch;
  }
  return out.trim() || null;
}

export async function logAccess(db: DbOrTx, entries: AccessEntry | AccessEntry[]): Promise<void> {
  const rows = Array.isArray(entries) ? entries : [entries];
  if (rows.length === 0) return;
  await db.insert(personalDataAccess).values(
    rows.map((e) => ({
      tenantId: e.tenantId,
      actorId: e.actorId,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      customerId: e.customerId ?? null,
      caseId: e.caseId ?? null,
      via: e.via ?? null,
    })),
  );
}

/**
 * Reads of a case's parts where the caller does not hold the case row: the person the case is about is taken from
 * the case in the same statement (one insert for all the parts read).
 */
export async function logCaseAccess(
  db: DbOrTx,
  e: {
    tenantId: string;
    actorId: string;
    subjectType: AccessSubject;
    subjectIds: string[];
    caseId: string;
    via?: string | null;
  },
): Promise<void> {
  if (e.subjectIds.length === 0) return;
  await db.execute(sql`
    insert into personal_data_access (tenant_id, actor_id, subject_type, subject_id, customer_id, case_id, via)
    select c.tenant_id, ${e.actorId}, ${e.subjectType}, s.id, c.customer_id, c.id, ${e.via ?? null}
    from cases c, unnest(${sql.raw('array[')}${sql.join(
      e.subjectIds.map((id) => sql`${id}`),
      sql`, `,
    )}${sql.raw(']::text[]')}) as s(id)
    where c.id = ${e.caseId} and c.tenant_id = ${e.tenantId}`);
}

export interface AccessQuery {
  actorId?: string | undefined;
  customerId?: string | undefined;
  caseId?: string | undefined;
  /** Keyset paging: entries older than this id. */
  before?: number | undefined;
  limit: number;
}

/** The tenant's access log, newest first, filtered by who read and about whom (one indexed query). */
export function listAccess(db: DbOrTx, tenantId: string, q: AccessQuery) {
  const where: SQL[] = [eq(personalDataAccess.tenantId, tenantId)];
  if (q.actorId) where.push(eq(personalDataAccess.actorId, q.actorId));
  if (q.customerId) where.push(eq(personalDataAccess.customerId, q.customerId));
  if (q.caseId) where.push(eq(personalDataAccess.caseId, q.caseId));
  if (q.before) where.push(lt(personalDataAccess.id, q.before));
  return db
    .select({
      id: personalDataAccess.id,
      at: personalDataAccess.at,
      actorId: personalDataAccess.actorId,
      actorName: users.name,
      subjectType: personalDataAccess.subjectType,
      subjectId: personalDataAccess.subjectId,
      customerId: personalDataAccess.customerId,
      caseId: personalDataAccess.caseId,
      caseNumber: cases.number,
      via: personalDataAccess.via,
    })
    .from(personalDataAccess)
    .leftJoin(users, eq(users.id, personalDataAccess.actorId))
    .leftJoin(cases, eq(cases.id, personalDataAccess.caseId))
    .where(and(...where))
    .orderBy(desc(personalDataAccess.id))
    .limit(q.limit);
}

/** The access log as the DPO reads it: a case named by its number (none of this tenant's: nothing). */
export async function accessLogOf(
  db: DbOrTx,
  tenantId: string,
  q: Omit<AccessQuery, 'caseId'> & { caseNumber?: string | undefined },
) {
  let caseId: string | undefined;
  if (q.caseNumber) {
    const [c] = await db
      .select({ id: cases.id })
      .from(cases)
      .where(and(eq(cases.tenantId, tenantId), eq(cases.number, q.caseNumber)));
    if (!c) return [];
    caseId = c.id;
  }
  const rows = await listAccess(db, tenantId, { ...q, caseId });
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
