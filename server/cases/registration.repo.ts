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
