import { type Principal } from '../auth/index.ts';
import { appendAudit, logAccess } from '../audit/index.ts';
import { addCaseEvent, casesOfCustomers, recordResolutionOnCall } from '../cases/index.ts';
import type { ComplaintCategory } from '../db/schema/index.ts';
import { registerComplaint, type RegisterDeps } from './register-complaint.ts';

export interface PhoneComplaint {
  category: ComplaintCategory;
  subject: string;
  body: string;
  customerId?: string | undefined;
  placeId?: string | undefined;
  contactName?: string | undefined;
  contactEmail?: string | undefined;
  contactPhone?: string | undefined;
  /** What the agent did or told the consumer when the complaint was resolved during the call. */
  resolution?: string | undefined;
}

/**
 * The call-center console's domain: a customer's earlier cases, and registration during the call, optionally
 * resolved on the spot (first-contact resolution: the resolution is recorded with the case in the registration's
 * transaction; the process acknowledges it and closes it without an officer task).
 */
export function createCallCenterService(deps: RegisterDeps) {
  const { db } = deps;

  async function earlierCases(p: Principal, customerIds: string[], via: string) {
    if (!customerIds.length) return [];
    const rows = await casesOfCustomers(db, p.tenantId, customerIds, 100);
    // The agent sees each customer's history: a read of that customer's data (GDPR access log).
    await logAccess(
      db,
      [...new Set(customerIds)].map((id) => ({
        tenantId: p.tenantId,
        actorId: p.userId,
        subjectType: 'customer' as const,
        subjectId: id,
        customerId: id,
        via,
      })),
    );
    await appendAudit(db, {
      tenantId: p.tenantId,
      actorId: p.userId,
      actorKind: 'user',
      action: 'customer.cases_viewed',
      entityType: 'customer',
      entityId: customerIds.length === 1 ? customerIds[0]! : '*',
      details: { customers: customerIds.length, results: rows.length },
    });
    // At most 10 per customer, newest first.
    const count = new Map<string, number>();
    return rows
      .filter((r) => {
        const n = (count.get(r.customerId!) ?? 0) + 1;
        count.set(r.customerId!, n);
        return n <= 10;
      })
      .map((r) => ({
        ...r,
        customerId: r.customerId!,
        receivedAt: r.receivedAt.toISOString(),
        closedAt: r.closedAt?.toISOString() ?? null,
      }));
  }

  async function register(p: Principal, input: PhoneComplaint) {
    const resolution = input.resolution?.trim();
    const reg = await registerComplaint(
      deps,
      {
        tenantId: p.tenantId,
        channel: 'call_center',
        category: input.category,
        subject: input.subject,
        body: input.body,
        customerId: input.customerId,
        placeId: input.placeId,
        contactName: input.contactName,
        contactEmail: input.contactEmail,
        contactPhone: input.contactPhone,
        resolvedOnCall: !!resolution,
        actor: { id: p.userId, kind: 'user' },
      },
      resolution
        ? {
            inTransaction: async (tx, c) => {
              await recordResolutionOnCall(tx, p.tenantId, c.id, resolution);
              await addCaseEvent(tx, {
                tenantId: p.tenantId,
                caseId: c.id,
                type: 'resolved_during_call',
                visibility: 'public',
                message: `Reclamația a fost soluționată în timpul apelului: ${resolution}`,
                actorId: p.userId,
              });
              await appendAudit(tx, {
                tenantId: p.tenantId,
                actorId: p.userId,
                actorKind: 'user',
                action: 'case.resolved_during_call',
                entityType: 'case',
                entityId: c.id,
                details: { number: c.number },
              });
            },
          }
        : {},
    );
    return { ...reg, resolvedDuringCall: !!resolution };
  }

  return { earlierCases, register };
}
