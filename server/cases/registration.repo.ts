import { sql } from 'drizzle-orm';
import { auditInStatement, type ActorKind } from '../audit/index.ts';
import type { DbOrTx } from '../db/client.ts';
import type { CaseSource, Channel, ComplaintCategory, CustomerType, Energy } from '../db/schema/index.ts';
import { LEASE_SECONDS } from './process-starts.repo.ts';

export interface RegistrationRow {
  caseId: string;
  tenantId: string;
  tenantCode: string;
  year: number;
  channel: Channel;
  category: ComplaintCategory;
  customerType: CustomerType | null;
  energy: Energy | null;
  source: CaseSource;
  authorityName: string | null;
  authorityReference: string | null;
  authorityDueDate: string | null;
  subject: string;
  body: string;
  customerId: string | null;
  placeId: string | null;
  contactName: string;
  contactEmail: string | null;
  contactPhone: string | null;
  receivedAt: Date;
  registeredOn: string;
  dueDate: string;
  deadlineRule: unknown;
  createdBy: string | null;
  /** Who registered it, for the audit row the statement writes. */
  actor: { id: string | null; kind: ActorKind };
  /** What one-box search matches besides the number (searchText of the names, codes, subject and text). */
  searchWords: string;
  processKey: string;
  variables: Record<string, unknown>;
  /** The client's Idempotency-Key and the request's fingerprint, written with the case (registration_keys). */
  idempotency?: { key: string; fingerprint: string } | null;
}

/**
 * The registration: the next number of the tenant's year (gapless), the case, its first event, its process-start
 * outbox row (process-start.ts) and its audit row, in one statement. The counter row stays locked until the
 * transaction commits, so nothing waits on the client while it is held: alone, the statement is its own
 * transaction, sent with its begin and commit in one round trip (db/scoped-client.ts); in a caller's transaction,
 * the caller's writes follow it (bench/README.md).
 */
export async function insertRegistration(
  tx: DbOrTx,
  r: RegistrationRow,
): Promise<{ number: string; outboxId: number; lockedUntil: Date }> {
  const rows = (await tx.execute(sql`
    with seq as (
      insert into registration_counters (tenant_id, year, last_value) values (${r.tenantId}, ${r.year}, 1)
      on conflict (tenant_id, year) do update set last_value = registration_counters.last_value + 1
      returning last_value
    ), num as (
      select last_value as seq, ${r.tenantCode} || '-' || ${String(r.year)} || '-' || lpad(last_value::text, 6, '0') as number from seq
    ), c as (
      insert into cases (id, tenant_id, number, year, seq, channel, category, customer_type, energy, source,
        authority_name, authority_reference, authority_due_date, subject, body, customer_id, place_id,
        contact_name, contact_email, contact_phone, received_at, registered_on, due_date, deadline_rule, created_by, search_text)
      select ${r.caseId}, ${r.tenantId}, num.number, ${r.year}, num.seq, ${r.channel}, ${r.category},
        ${r.customerType}, ${r.energy}, ${r.source}, ${r.authorityName}, ${r.authorityReference},
        ${r.authorityDueDate}::date,
        ${r.subject}, ${r.body}, ${r.customerId}, ${r.placeId}, ${r.contactName}, ${r.contactEmail},
        ${r.contactPhone}, ${r.receivedAt.toISOString()}::timestamptz, ${r.registeredOn}::date, ${r.dueDate}::date,
        ${JSON.stringify(r.deadlineRule)}::jsonb, ${r.createdBy},
        lower(num.number) || ' ' || ${r.searchWords}
      from num
      returning number
    ), ev as (
      insert into case_events (tenant_id, case_id, type, visibility, message, actor_id)
      select ${r.tenantId}, ${r.caseId}, 'registered', 'public',
        'Reclamația a fost înregistrată cu numărul ' || c.number || '.', ${r.createdBy}
      from c
    ), ob as (
      insert into process_starts (tenant_id, case_id, business_key, process_key, variables, attempts, locked_until)
      select ${r.tenantId}, ${r.caseId}, c.number, ${r.processKey}, ${JSON.stringify(r.variables)}::jsonb, 1,
        now() + make_interval(secs => ${LEASE_SECONDS})
      from c
      returning id, locked_until
    ), ik as (
      insert into registration_keys (tenant_id, key, fingerprint, case_id)
      select ${r.tenantId}, ${r.idempotency?.key ?? null}::text, ${r.idempotency?.fingerprint ?? null}::text, ${r.caseId}
      from c where ${r.idempotency?.key ?? null}::text is not null
    ), au as (
      ${auditInStatement(
        {
          tenantId: r.tenantId,
          actorId: r.actor.id,
          actorKind: r.actor.kind,
          action: 'case.registered',
          entityType: 'case',
          entityId: r.caseId,
        },
        sql`jsonb_build_object('number', c.number, 'channel', ${r.channel}::text, 'category', ${r.category}::text)`,
        'c',
      )}
    )
    select c.number, ob.id as outbox_id, ob.locked_until from c, ob`)) as unknown as Array<{
    number: string;
    outbox_id: number | string;
    locked_until: string | Date;
  }>;
  const w = rows[0];
  if (!w) throw new Error('registration wrote nothing');
  return { number: w.number, outboxId: Number(w.outbox_id), lockedUntil: new Date(w.locked_until) };
}

/** A registration made earlier with this Idempotency-Key, as its answer needs it; null when the key is new. */
export async function findRegistrationByKey(
  tx: DbOrTx,
  tenantId: string,
  key: string,
): Promise<{
  fingerprint: string;
  caseId: string;
  number: string;
  receivedAt: Date;
  registeredOn: string;
  dueDate: string;
  deadlineRule: unknown;
  processInstanceId: string | null;
} | null> {
  const rows = (await tx.execute(sql`
    select k.fingerprint, c.id as case_id, c.number, c.received_at, c.registered_on, c.due_date, c.deadline_rule,
      c.process_instance_id
    from registration_keys k join cases c on c.id = k.case_id
    where k.tenant_id = ${tenantId} and k.key = ${key}`)) as unknown as Array<{
    fingerprint: string;
    case_id: string;
    number: string;
    received_at: string | Date;
    registered_on: string;
    due_date: string;
    deadline_rule: unknown;
    process_instance_id: string | null;
  }>;
  const r = rows[0];
  if (!r) return null;
  return {
    fingerprint: r.fingerprint,
    caseId: r.case_id,
    number: r.number,
    receivedAt: new Date(r.received_at),
    registeredOn: r.registered_on,
    dueDate: r.due_date,
    deadlineRule: r.deadline_rule,
    processInstanceId: r.process_instance_id,
  };
}

/** Whether an error is the registration statement refusing a key another request wrote first. */
export function isDuplicateKey(err: unknown): boolean {
  for (
    let e = err as { code?: string; constraint_name?: string; cause?: unknown } | undefined;
    e;
    e = e.cause as typeof e
  )
    if (e.code === '23505' && e.constraint_name === 'registration_keys_tenant_id_key_pk') return true;
  return false;
}

/**
 * Housekeeping: keys older than `before` (a client retries within minutes; after this a key is forgotten and
 * the same key would register again); at most `limit` rows.
 */
export async function deleteRegistrationKeysBefore(db: DbOrTx, before: Date, limit: number): Promise<number> {
  const rows = (await db.execute(sql`
    with gone as (
      delete from registration_keys where (tenant_id, key) in (
        select tenant_id, key from registration_keys where created_at < ${before.toISOString()} limit ${limit})
      returning 1)
    select count(*)::int as n from gone`)) as unknown as Array<{ n: number }>;
  return rows[0]?.n ?? 0;
}
