import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { cases, privacySettings, type DataSubjectRequest } from '../db/schema/index.ts';
import { appendAudit } from '../audit/index.ts';
import { DEFAULT_RETENTION_YEARS } from '../codes/privacy-codes.ts';
import { DomainError } from '../errors.ts';
import { runPeriodically } from '../periodic.ts';
import type { Logger } from '../logger.ts';
import { withAllTenants, withTenant } from '../db/tenant-scope.ts';

/**
 * Storage limitation (GDPR art. 5(1)(e); IL-38): a closed case keeps the personal data in it for the tenant's
 * retention period after closing, then it is anonymised. What stays: number, dates, category, customer type,
 * energy, channel, source, status, deadlines, delay and compensation (statistics and ANRE reports stay correct).
 * What goes: names, contact data, the text as received, messages, letters' bytes, comments, the link to the
 * customer file. The audit keeps a SHA-256 of what was removed (`anonymisations`, `case.anonymised`), never the data.
 */
export const MIN_RETENTION_YEARS = 3;
export const MAX_RETENTION_YEARS = 10;
/** ANRE can take up a complaint about the last 36 months (domain-research §1.7): an erasure never goes below it. */
export const LEGAL_MINIMUM_MONTHS = 36;
const REMOVED = '[date personale anonimizate]';

export async function retentionYears(db: DbOrTx, tenantId: string): Promise<number> {
  const [s] = await db
    .select({ years: privacySettings.retentionYears })
    .from(privacySettings)
    .where(eq(privacySettings.tenantId, tenantId));
  return s?.years ?? DEFAULT_RETENTION_YEARS;
}

export async function setRetentionYears(db: DbOrTx, tenantId: string, years: number, actorId: string) {
  if (!Number.isInteger(years) || years < MIN_RETENTION_YEARS || years > MAX_RETENTION_YEARS)
    throw new DomainError('RETENTION_YEARS_INVALID');
  await db
    .insert(privacySettings)
    .values({ tenantId, retentionYears: years, updatedBy: actorId })
    .onConflictDoUpdate({
      target: privacySettings.tenantId,
      set: { retentionYears: years, updatedAt: new Date(), updatedBy: actorId },
    });
  await appendAudit(db, {
    tenantId,
    actorId,
    actorKind: 'user',
    action: 'privacy.retention_set',
    entityType: 'tenant',
    entityId: tenantId,
    details: { years },
  });
}

/**
 * Removes the personal data of one case, in the caller's transaction (which must hold `app.retention_purge`).
 * Returns false when the case was already anonymised.
 */
async function anonymiseCase(
  tx: DbOrTx,
  tenantId: string,
  caseId: string,
  reason: 'retention' | 'erasure',
  requestId: string | null,
): Promise<boolean> {
  const [c] = await tx
    .select()
    .from(cases)
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId)));
  if (!c) return false;
  const removedSha256 = createHash('sha256')
    .update(
      JSON.stringify([
        c.contactName,
        c.contactEmail,
        c.contactPhone,
        c.subject,
        c.body,
        c.findings,
        c.answerText,
      ]),
    )
    .digest('hex');
  const logged = (await tx.execute(sql`
    insert into anonymisations (tenant_id, entity_type, entity_id, reason, request_id, removed_sha256)
    values (${tenantId}, 'case', ${caseId}, ${reason}, ${requestId}, ${removedSha256})
    on conflict do nothing returning id`)) as unknown as unknown[];
  if (logged.length === 0) return false;
  // Blobs (raw e-mails, attachments, portal files) of this case that no other case still needs.
  await tx.execute(sql`
    with mine as (
      select im.raw_sha256 as sha from inbound_messages im where im.tenant_id = ${tenantId} and im.case_id = ${caseId}
      union select ia.sha256 from inbound_attachments ia join inbound_messages im on im.id = ia.inbound_message_id
        where im.tenant_id = ${tenantId} and im.case_id = ${caseId}
      union select pf.sha256 from portal_files pf where pf.tenant_id = ${tenantId} and pf.case_id = ${caseId}
    ), shared as (
      select im.raw_sha256 as sha from inbound_messages im
        where im.tenant_id = ${tenantId} and im.case_id is distinct from ${caseId}
          and not exists (select 1 from anonymisations a where a.entity_id = im.case_id)
      union select ia.sha256 from inbound_attachments ia join inbound_messages im on im.id = ia.inbound_message_id
        where im.tenant_id = ${tenantId} and im.case_id is distinct from ${caseId}
          and not exists (select 1 from anonymisations a where a.entity_id = im.case_id)
      union select pf.sha256 from portal_files pf where pf.tenant_id = ${tenantId} and pf.case_id <> ${caseId}
          and not exists (select 1 from anonymisations a where a.entity_id = pf.case_id)
    )
    delete from mail_blobs b where b.tenant_id = ${tenantId}
      and b.sha256 in (select sha from mine) and b.sha256 not in (select sha from shared where sha is not null)`);
  const empty = createHash('sha256').update('').digest('hex');
  await tx.execute(sql`
    with c as (
      update cases set subject = ${REMOVED}, body = ${REMOVED}, contact_name = ${REMOVED}, contact_email = null,
        contact_phone = null, customer_id = null, place_id = null,
        findings = case when findings is null then null else ${REMOVED} end,
        answer_text = case when answer_text is null then null else ${REMOVED} end,
        annul_reason = case when annul_reason is null then null else ${REMOVED} end,
        search_text = lower(number)
      where id = ${caseId} and tenant_id = ${tenantId}
    ), im as (
      update inbound_messages set from_address = null, from_name = null, subject = ${REMOVED}, text_body = ${REMOVED},
        safe_html = null where case_id = ${caseId} and tenant_id = ${tenantId}
    ), ia as (
      update inbound_attachments set filename = null where inbound_message_id in
        (select id from inbound_messages where case_id = ${caseId} and tenant_id = ${tenantId})
    ), cm as (
      update case_messages set to_address = null, subject = ${REMOVED}, text = null, attachments = null
      where case_id = ${caseId} and tenant_id = ${tenantId}
    ), cd as (
      update case_documents set content = ''::bytea, size = 0, sha256 = ${empty}
      where case_id = ${caseId} and tenant_id = ${tenantId}
    ), pd as (
      update postal_dispatches set recipient_name = ${REMOVED}, address = ${REMOVED}
      where case_id = ${caseId} and tenant_id = ${tenantId}
    ), ps as (
      update portal_submissions set text = ${REMOVED} where case_id = ${caseId} and tenant_id = ${tenantId}
    ), cc as (
      update case_comments set body = ${REMOVED} where case_id = ${caseId} and tenant_id = ${tenantId}
    ), ic as (
      update identification_candidates set evidence = '[]'::jsonb where case_id = ${caseId} and tenant_id = ${tenantId}
    ), orq as (
      update operator_requests set questions = ${REMOVED}, to_address = null,
        answer_text = case when answer_text is null then null else ${REMOVED} end
      where case_id = ${caseId} and tenant_id = ${tenantId}
    ), mq as (
      update mail_quarantine set subject = null, from_address = null where case_id = ${caseId} and tenant_id = ${tenantId}
    ), df as (
      update case_delivery_failures set to_address = null where case_id = ${caseId} and tenant_id = ${tenantId}
    )
    update tasks set customer_name = null, subject = ${REMOVED}, place_code = null, search_text = lower(coalesce(case_number, ''))
    where case_id = ${caseId} and tenant_id = ${tenantId}`);
  await appendAudit(tx, {
    tenantId,
    actorKind: requestId ? 'user' : 'system',
    action: 'case.anonymised',
    entityType: 'case',
    entityId: caseId,
    details: { number: c.number, reason, removedSha256, ...(requestId ? { requestId } : {}) },
  });
  return true;
}

async function purging<T>(db: Db, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // Lets the immutability triggers accept this transaction's removals (migration ..._retention_purge).
    await tx.execute(sql`select set_config('app.retention_purge', 'on', true)`);
    return fn(tx);
  });
}

/**
 * One retention round: every closed, filed or annulled case of every tenant whose closing is older than that
 * tenant's period is anonymised, except cases of a person with a GDPR request still open (IL-38 step 4). `now` is a
 * parameter so a test moves the clock by data. Returns the numbers anonymised.
 */
export async function runRetention(db: Db, now = new Date(), batch = 200): Promise<string[]> {
  // Finding what is due looks at every tenant; each case is then anonymised in its own tenant (tenant-scope.ts).
  const due = (await withAllTenants('retention: finds closed cases past their period', () =>
    db.execute(sql`
    select c.id, c.tenant_id, c.number from cases c
    left join privacy_settings s on s.tenant_id = c.tenant_id
    where c.status in ('closed', 'filed', 'annulled')
      and coalesce(c.closed_at, c.annulled_at, c.answer_sent_at) is not null
      and coalesce(c.closed_at, c.annulled_at, c.answer_sent_at)
          < ${now.toISOString()}::timestamptz - make_interval(years => coalesce(s.retention_years, ${DEFAULT_RETENTION_YEARS}))
      and not exists (select 1 from anonymisations a where a.entity_type = 'case' and a.entity_id = c.id)
      and not exists (select 1 from data_subject_requests r where r.tenant_id = c.tenant_id and r.status = 'open'
        and ((c.customer_id is not null and r.customer_id = c.customer_id)
          or (c.contact_email is not null and r.contact_email = c.contact_email)))
    order by c.closed_at limit ${batch}`),
  )) as unknown as Array<{
    id: string;
    tenant_id: string;
    number: string;
  }>;
  const done: string[] = [];
  for (const c of due) {
    const anonymised = await withTenant(c.tenant_id, () =>
      purging(db, (tx) => anonymiseCase(tx, c.tenant_id, c.id, 'retention', null)),
    );
    if (anonymised) done.push(c.number);
  }
  return done;
}

export function startRetention(db: Db, log: Logger, opts: { intervalMs?: number } = {}) {
  return runPeriodically(opts.intervalMs ?? 6 * 3600_000, async () => {
    try {
      const done = await runRetention(db);
      if (done.length) log.info({ anonymised: done.length }, 'retention: closed cases anonymised');
    } catch (err) {
      log.error({ err: (err as Error).message }, 'retention round failed');
    }
  });
}

/**
 * Erasure (art. 17) of a person's complaint records: granted for closed cases past the legal minimum (ANRE may take
 * up a complaint for 36 months after the facts, Order 16/2015 records must exist for it), refused with that reason
 * for the others (art. 17(3)(b) legal obligation, (e) defence of legal claims). Open cases are kept: they are being
 * handled for the person.
 */
export async function eraseForRequest(db: Db, r: DataSubjectRequest, actorId: string, now = new Date()) {
  const rows = (await db.execute(sql`
    select c.id, c.number, c.status, coalesce(c.closed_at, c.annulled_at, c.answer_sent_at) as closed
    from cases c where c.tenant_id = ${r.tenantId}
      and ((${r.customerId}::uuid is not null and c.customer_id = ${r.customerId}::uuid)
        or (${r.contactEmail}::text is not null and c.contact_email = ${r.contactEmail}::text))
      and not exists (select 1 from anonymisations a where a.entity_type = 'case' and a.entity_id = c.id)
    order by c.number`)) as unknown as Array<{
    id: string;
    number: string;
    status: string;
    closed: Date | string | null;
  }>;
  const limit = new Date(now);
  limit.setUTCMonth(limit.getUTCMonth() - LEGAL_MINIMUM_MONTHS);
  const erased: string[] = [];
  const kept: string[] = [];
  for (const c of rows) {
    const closed = c.closed ? new Date(c.closed) : null;
    const closedStatus = ['closed', 'filed', 'annulled'].includes(c.status);
    if (closedStatus && closed && closed < limit) {
      await purging(db, (tx) => anonymiseCase(tx, r.tenantId, c.id, 'erasure', r.id));
      erased.push(c.number);
    } else kept.push(c.number);
  }
  await appendAudit(db, {
    tenantId: r.tenantId,
    actorId,
    actorKind: 'user',
    action: 'gdpr_request.erasure_carried_out',
    entityType: 'gdpr_request',
    entityId: r.id,
    details: { erased, kept },
  });
  return {
    erased,
    kept,
    reason:
      `Dosarele de reclamație ${kept.join(', ')} se păstrează: furnizorul are obligația legală de a păstra evidența ` +
      'reclamațiilor și a modului de soluționare (Ordinul ANRE nr. 16/2015), iar ANRE poate prelua o plângere privind ' +
      'faptele din ultimele 36 de luni; păstrarea este necesară și pentru constatarea, exercitarea sau apărarea unui ' +
      'drept în instanță (Regulamentul (UE) 2016/679, art. 17 alin. (3) lit. b) și e)). Dosarele în curs de ' +
      'soluționare se păstrează până la răspuns. După expirarea termenului de păstrare, datele se anonimizează automat.',
  };
}
