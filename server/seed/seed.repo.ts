import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import {
  caseDocuments,
  caseMessages,
  cases,
  customers,
  inboundMessages,
  operatorRequests,
  places,
  portalSubmissions,
  postalDispatches,
  type PermissionRole,
} from '../db/schema/index.ts';

/*
 * What the demo seed reads to find where a run stands (it is resumable: a case already at its stage is left as
 * it is). Reads only: the seed writes nothing itself, every change goes through the services of the modules that
 * own the tables (server/db/schema/README.md), as a person's action would.
 */

export async function caseRow(db: DbOrTx, tenantId: string, number: string) {
  const [c] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.tenantId, tenantId), eq(cases.number, number)));
  return c ?? null;
}

export async function hasReceivedOfKind(db: DbOrTx, tenantId: string, number: string, kind: 'reply') {
  const [row] = await db
    .select({ id: inboundMessages.id })
    .from(inboundMessages)
    .innerJoin(cases, eq(cases.id, inboundMessages.caseId))
    .where(and(eq(cases.tenantId, tenantId), eq(cases.number, number), eq(inboundMessages.kind, kind)))
    .limit(1);
  return !!row;
}

export async function sentMessageOfKind(db: DbOrTx, tenantId: string, number: string, kind: string) {
  const [m] = await db
    .select({ messageId: caseMessages.messageId, subject: caseMessages.subject })
    .from(caseMessages)
    .innerJoin(cases, eq(cases.id, caseMessages.caseId))
    .where(and(eq(cases.tenantId, tenantId), eq(cases.number, number), eq(caseMessages.kind, kind)));
  return m ?? null;
}

export async function hasSubmissionOfKind(
  db: DbOrTx,
  tenantId: string,
  number: string,
  kind: 'complaint' | 'information',
) {
  const [row] = await db
    .select({ id: portalSubmissions.id })
    .from(portalSubmissions)
    .innerJoin(cases, eq(cases.id, portalSubmissions.caseId))
    .where(and(eq(cases.tenantId, tenantId), eq(cases.number, number), eq(portalSubmissions.kind, kind)))
    .limit(1);
  return !!row;
}

/** A place of the customer with what the portal's linking asks for (contract number and meter serial). */
export async function placeOfCustomer(db: DbOrTx, tenantId: string, customerCode: string) {
  const [place] = await db
    .select({
      placeCode: places.placeCode,
      contractNumber: places.contractNumber,
      meterSerial: places.meterSerial,
    })
    .from(places)
    .innerJoin(customers, eq(customers.id, places.customerId))
    .where(and(eq(customers.tenantId, tenantId), eq(customers.customerCode, customerCode)))
    .limit(1);
  return place ?? null;
}

export async function customerWithPlace(db: DbOrTx, tenantId: string, customerCode: string) {
  const [c] = await db
    .select({ id: customers.id, placeId: places.id })
    .from(customers)
    .leftJoin(places, eq(places.customerId, customers.id))
    .where(and(eq(customers.tenantId, tenantId), eq(customers.customerCode, customerCode)))
    .limit(1);
  return c ?? null;
}

export async function placeByCode(db: DbOrTx, tenantId: string, placeCode: string) {
  const [place] = await db
    .select({ id: places.id })
    .from(places)
    .where(and(eq(places.tenantId, tenantId), eq(places.placeCode, placeCode)));
  return place ?? null;
}

/** The tenant's active staff with their job roles, by e-mail. */
export async function staffWithJobRoles(db: DbOrTx, tenantId: string) {
  const rows = (await db.execute(sql`
    select u.id, u.email, u.name, u.roles,
      coalesce(array_agg(h.job_role_code order by h.job_role_code) filter (where h.job_role_code is not null), '{}') as job_roles
    from users u
    left join job_role_holders h on h.user_id = u.id and h.tenant_id = u.tenant_id
    where u.tenant_id = ${tenantId} and u.active
    group by u.id
    order by u.email`)) as unknown as Array<{
    id: string;
    email: string;
    name: string;
    roles: PermissionRole[];
    job_roles: string[];
  }>;
  return rows.map((r) => ({ id: r.id, email: r.email, name: r.name, roles: r.roles, jobRoles: r.job_roles }));
}

/** Which of these customer codes and place codes the tenant has. */
export async function existingCodes(
  db: DbOrTx,
  tenantId: string,
  codes: Set<string>,
  placeCodes: Set<string>,
) {
  const list = (xs: Set<string>) =>
    sql.join(
      [...xs, ''].map((x) => sql`${x}`),
      sql`, `,
    );
  const [haveCodes, havePlaces] = await Promise.all([
    db.execute(
      sql`select customer_code as v from customers where tenant_id = ${tenantId} and customer_code in (${list(codes)})`,
    ),
    db.execute(
      sql`select place_code as v from places where tenant_id = ${tenantId} and place_code in (${list(placeCodes)})`,
    ),
  ]).then((rs) => rs.map((r) => new Set((r as unknown as Array<{ v: string }>).map((x) => x.v))));
  return { haveCodes: haveCodes!, havePlaces: havePlaces! };
}

/**
 * The demo's cases already in the tenant, by subject: number, whether the scenario's marker (an audit row of
 * `seededAction`) is there, and the first case contesting it with its marker.
 */
export async function casesBySubject(db: DbOrTx, tenantId: string, subjects: string[], seededAction: string) {
  const seeded = (id: ReturnType<typeof sql>) =>
    sql`exists (select 1 from audit_log a where a.tenant_id = ${tenantId} and a.entity_type = 'case'
      and a.entity_id = (${id})::text and a.action = ${seededAction})`;
  return (await db.execute(sql`
    select c.subject, c.number, ${seeded(sql`c.id`)} as done,
      k.number as contest_number, k.id is not null and ${seeded(sql`k.id`)} as contest_done
    from cases c
    left join lateral (
      select x.id, x.number from cases x where x.contests_case_id = c.id order by x.received_at limit 1
    ) k on true
    where c.tenant_id = ${tenantId} and c.subject in (${sql.join(
      subjects.map((s) => sql`${s}`),
      sql`, `,
    )})
    order by c.seq`)) as unknown as Array<{
    subject: string;
    number: string;
    done: boolean;
    contest_number: string | null;
    contest_done: boolean;
  }>;
}

/** The demo's GDPR request (its details text is its marker) and whether an earlier run brought it to its stage. */
export async function gdprRequestByDetails(
  db: DbOrTx,
  tenantId: string,
  details: string,
  seededAction: string,
) {
  const [r] = (await db.execute(sql`
    select r.id, r.number, exists (select 1 from audit_log a where a.tenant_id = ${tenantId}
      and a.entity_type = 'gdpr_request' and a.entity_id = r.id::text and a.action = ${seededAction}) as done
    from data_subject_requests r
    where r.tenant_id = ${tenantId} and r.details = ${details}
    order by r.received_at limit 1`)) as unknown as Array<{ id: string; number: string; done: boolean }>;
  return r ?? null;
}

/** One seeding per tenant at a time, across processes: held until the caller's transaction ends. */
export async function tryLockSeeding(tx: DbOrTx, tenantId: string): Promise<boolean> {
  const [lock] = (await tx.execute(
    sql`select pg_try_advisory_xact_lock(hashtextextended(${'demo-seed:' + tenantId}, 0)) as ok`,
  )) as unknown as Array<{ ok: boolean }>;
  return !!lock?.ok;
}

export async function operatorRequestSentAt(db: DbOrTx, tenantId: string, number: string) {
  const [r] = await db
    .select({ sentAt: operatorRequests.sentAt })
    .from(operatorRequests)
    .innerJoin(cases, eq(cases.id, operatorRequests.caseId))
    .where(and(eq(cases.tenantId, tenantId), eq(cases.number, number)));
  return r?.sentAt ?? null;
}

export function postalLettersOfCase(db: DbOrTx, tenantId: string, number: string) {
  return db
    .select({
      id: postalDispatches.id,
      kind: caseDocuments.kind,
      dispatchedAt: postalDispatches.dispatchedAt,
    })
    .from(postalDispatches)
    .innerJoin(cases, eq(cases.id, postalDispatches.caseId))
    .innerJoin(caseDocuments, eq(caseDocuments.id, postalDispatches.documentId))
    .where(and(eq(cases.tenantId, tenantId), eq(cases.number, number)));
}

export async function customerCount(db: DbOrTx, tenantId: string): Promise<number> {
  const [{ n }] = (await db.execute(
    sql`select count(*)::int as n from customers where tenant_id = ${tenantId}`,
  )) as unknown as [{ n: number }];
  return n;
}
