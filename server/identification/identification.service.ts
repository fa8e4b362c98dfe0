import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { customerTypeOf, energyOf } from '../codes/case-codes.ts';
import { searchText } from '../db/search-text.ts';
import type { Principal } from '../auth/auth.service.ts';
import { appendAudit } from '../audit/audit.repo.ts';
import { addCaseEvent, getCaseByNumber } from '../cases/cases.repo.ts';
import { getCustomer, getPlace } from '../customers/customers.repo.ts';
import type { Db } from '../db/client.ts';
import { cases, customers, identificationCandidates, places } from '../db/schema/index.ts';
import type { EngineClient, EngineTask } from '../engine/client.ts';
import { DomainError } from '../errors.ts';
import { listCandidatesOfCase } from './identification.repo.ts';

/** The user task of the complaint process in which an intake officer confirms who complained. */
export const IDENTIFY_TASK_KEY = 'identify';

const canSeeAll = (p: Principal) => p.roles.includes('supervisor') || p.roles.includes('admin');

/**
 * The "identify consumer" task: the scored candidates the intake stored for a case, and the officer's choice
 * (one of them, or any customer of the tenant found by search), which sets the case's customer and place and
 * completes the task with `customerKnown = true`.
 */
export function createIdentificationService(deps: { db: Db; engine: EngineClient }) {
  const { db, engine } = deps;

  async function caseOf(p: Principal, number: string) {
    const row = await getCaseByNumber(db, p.tenantId, number);
    if (!row) throw new DomainError('CASE_NOT_FOUND');
    return row;
  }

  /** The open identify task of the case, if the caller may act on it (tenant, job role or supervisor). */
  async function openTask(p: Principal, number: string): Promise<EngineTask | null> {
    const tasks = await engine.queryTasks(
      { tenantIdIn: [p.tenantId], processInstanceBusinessKey: number },
      { firstResult: 0, maxResults: 50 },
    );
    const task = tasks.find((t) => t.taskDefinitionKey === IDENTIFY_TASK_KEY && t.tenantId === p.tenantId);
    if (!task) return null;
    if (task.assignee === p.userId || canSeeAll(p)) return task;
    const groups = await engine.getCandidateGroups(task.id);
    return groups.some((g) => p.jobRoles.includes(g)) ? task : null;
  }

  async function candidates(p: Principal, number: string) {
    const { case: c, customer, place } = await caseOf(p, number);
    const [rows, task] = await Promise.all([listCandidatesOfCase(db, p.tenantId, c.id), openTask(p, number)]);
    const customerIds = [...new Set(rows.map((r) => r.customerId))];
    const placeIds = [...new Set(rows.map((r) => r.placeId).filter((x): x is string => !!x))];
    const [custs, plcs] = await Promise.all([
      customerIds.length
        ? db
            .select()
            .from(customers)
            .where(and(eq(customers.tenantId, p.tenantId), inArray(customers.id, customerIds)))
        : [],
      placeIds.length
        ? db
            .select()
            .from(places)
            .where(and(eq(places.tenantId, p.tenantId), inArray(places.id, placeIds)))
        : [],
    ]);
    const cById = new Map(custs.map((x) => [x.id, x]));
    const pById = new Map(plcs.map((x) => [x.id, x]));
    // One line per customer/place (the same candidate can come from the complaint and from a reply).
    const seen = new Set<string>();
    const items = [];
    for (const r of rows) {
      const key = `${r.customerId}:${r.placeId ?? ''}`;
      const cu = cById.get(r.customerId);
      if (seen.has(key) || !cu) continue;
      seen.add(key);
      const pl = r.placeId ? pById.get(r.placeId) : undefined;
      items.push({
        customerId: cu.id,
        customerCode: cu.customerCode,
        name: cu.name,
        address: cu.address,
        placeId: pl?.id ?? null,
        placeCode: pl?.placeCode ?? null,
        placeAddress: pl?.address ?? null,
        energy: pl?.energy ?? null,
        score: r.score,
        certain: r.certain,
        evidence: r.evidence.map((e) => ({ kind: e.kind, weight: e.weight })),
        confirmed: r.confirmedAt !== null,
      });
    }
    // Candidates show customers' personal data: the view is audited.
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'case.identification_viewed',
      entityType: 'case',
      entityId: c.id,
      details: { candidates: items.length },
    });
    return {
      number: c.number,
      subject: c.subject,
      contactName: c.contactName,
      contactEmail: c.contactEmail,
      contactPhone: c.contactPhone,
      current: customer
        ? {
            customerId: customer.id,
            customerCode: customer.customerCode,
            name: customer.name,
            placeId: place?.id ?? null,
            placeCode: place?.placeCode ?? null,
          }
        : null,
      task: task ? { id: task.id, assignee: task.assignee, assignedToMe: task.assignee === p.userId } : null,
      candidates: items,
    };
  }

  /**
   * The officer's choice: the case gets the customer (and place), the candidate is marked confirmed, the case's
   * timeline and the audit log record it, then the identify task completes with the variables the process reads.
   */
  async function confirm(
    p: Principal,
    number: string,
    input: { customerId: string; placeId?: string | null | undefined },
  ) {
    const { case: c } = await caseOf(p, number);
    const task = await openTask(p, number);
    if (!task) throw new DomainError('IDENTIFY_TASK_NOT_OPEN');
    if (task.assignee && task.assignee !== p.userId) throw new DomainError('TASK_ALREADY_CLAIMED');
    const customer = await getCustomer(db, p.tenantId, input.customerId);
    if (!customer) throw new DomainError('CUSTOMER_NOT_FOUND');
    const place = input.placeId ? await getPlace(db, p.tenantId, input.placeId) : null;
    if (input.placeId && !place) throw new DomainError('PLACE_NOT_FOUND');
    if (place && place.customerId !== customer.id) throw new DomainError('PLACE_NOT_OF_CUSTOMER');

    await db.transaction(async (tx) => {
      await tx
        .update(cases)
        .set({
          customerId: customer.id,
          placeId: place?.id ?? null,
          // What the ANRE statistics count the case under (the triage officer may still correct it, IL-06).
          customerType: customerTypeOf(customer.customerType),
          ...(place ? { energy: energyOf(place.energy) } : {}),
          // The case is now found by the customer's name and codes too.
          searchText: sql`${cases.searchText} || ' ' || ${searchText(customer.name, customer.customerCode, place?.placeCode)}`,
        })
        .where(and(eq(cases.id, c.id), eq(cases.tenantId, p.tenantId)));
      const conds = [
        eq(identificationCandidates.tenantId, p.tenantId),
        eq(identificationCandidates.caseId, c.id),
        eq(identificationCandidates.customerId, customer.id),
        isNull(identificationCandidates.confirmedAt),
      ];
      await tx
        .update(identificationCandidates)
        .set({ confirmedBy: p.userId, confirmedAt: new Date() })
        .where(and(...conds));
      await addCaseEvent(tx, {
        tenantId: p.tenantId,
        caseId: c.id,
        type: 'consumer_identified',
        visibility: 'internal',
        message: `Petentul a fost identificat de ofițer: ${customer.customerCode}${place ? `, loc de consum ${place.placeCode}` : ''}.`,
        actorId: p.userId,
      });
      await appendAudit(tx, {
        tenantId: p.tenantId,
        actorId: p.userId,
        actorKind: 'user',
        action: 'case.consumer_identified',
        entityType: 'case',
        entityId: c.id,
        details: { customerId: customer.id, placeId: place?.id ?? null, taskId: task.id },
      });
    });
    if (!task.assignee) await engine.claim(task.id, p.userId);
    await engine.complete(task.id, {
      customerKnown: true,
      customerId: customer.id,
      placeId: place?.id ?? '',
    });
    return {
      number: c.number,
      customerId: customer.id,
      customerCode: customer.customerCode,
      placeId: place?.id ?? null,
      placeCode: place?.placeCode ?? null,
      taskCompleted: true,
    };
  }

  return { candidates, confirm };
}

export type IdentificationService = ReturnType<typeof createIdentificationService>;
