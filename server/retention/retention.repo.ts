import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { closedCaseStatuses } from '../codes/case-codes.ts';
import { DEFAULT_RETENTION_YEARS } from '../codes/privacy-codes.ts';

/** The retention module owns `anonymisations`: the record that a case was anonymised, with the hash of what went. */

/**
 * Every closed, filed or annulled case of every tenant whose closing is older than that tenant's period, except
 * cases of a person with a GDPR request still open (IL-38 step 4), oldest first.
 */
export async function casesDueForRetention(db: DbOrTx, now: Date, batch: number) {
  return (await db.execute(sql`
    select c.id, c.tenant_id, c.number from cases c
    left join privacy_settings s on s.tenant_id = c.tenant_id
    where c.status in (${sql.join(
      closedCaseStatuses.map((status) => sql`${status}`),
      sql`, `,
    )})
      and coalesce(c.closed_at, c.annulled_at, c.answer_sent_at) is not null
      and coalesce(c.closed_at, c.annulled_at, c.answer_sent_at)
          < ${now.toISOString()}::timestamptz - make_interval(years => coalesce(s.retention_years, ${DEFAULT_RETENTION_YEARS}))
      and not exists (select 1 from anonymisations a where a.entity_type = 'case' and a.entity_id = c.id)
      and not exists (select 1 from data_subject_requests r where r.tenant_id = c.tenant_id and r.status = 'open'
        and ((c.customer_id is not null and r.customer_id = c.customer_id)
          or (c.contact_email is not null and r.contact_email = c.contact_email)))
    order by c.closed_at limit ${batch}`)) as unknown as Array<{
    id: string;
    tenant_id: string;
    number: string;
  }>;
}

/** The person's cases not anonymised yet, by customer file or contact e-mail. */
export async function casesOfSubject(
  db: DbOrTx,
  tenantId: string,
  who: { customerId: string | null; contactEmail: string | null },
) {
  return (await db.execute(sql`
    select c.id, c.number, c.status, coalesce(c.closed_at, c.annulled_at, c.answer_sent_at) as closed
    from cases c where c.tenant_id = ${tenantId}
      and ((${who.customerId}::uuid is not null and c.customer_id = ${who.customerId}::uuid)
        or (${who.contactEmail}::text is not null and c.contact_email = ${who.contactEmail}::text))
      and not exists (select 1 from anonymisations a where a.entity_type = 'case' and a.entity_id = c.id)
    order by c.number`)) as unknown as Array<{
    id: string;
    number: string;
    status: string;
    closed: Date | string | null;
  }>;
}

/** Records the anonymisation once; false when the case was anonymised already. */
export async function insertAnonymisation(
  db: DbOrTx,
  a: {
    tenantId: string;
    caseId: string;
    reason: 'retention' | 'erasure';
    requestId: string | null;
    removedSha256: string;
  },
): Promise<boolean> {
  const logged = (await db.execute(sql`
    insert into anonymisations (tenant_id, entity_type, entity_id, reason, request_id, removed_sha256)
    values (${a.tenantId}, 'case', ${a.caseId}, ${a.reason}, ${a.requestId}, ${a.removedSha256})
    on conflict do nothing returning id`)) as unknown as unknown[];
  return logged.length > 0;
}

/** Lets the immutability triggers accept this transaction's removals (migration ..._retention_purge). */
export async function allowPurge(tx: DbOrTx) {
  await tx.execute(sql`select set_config('app.retention_purge', 'on', true)`);
}
