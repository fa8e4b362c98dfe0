import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cases, type Channel } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import { appendAudit, type ActorKind } from '../audit/index.ts';
import { registerComplaint, type RegisterDeps } from '../intake/register-complaint.ts';
import { addCaseEvent, getCaseByNumber } from './cases.repo.ts';

/** The category of a complaint about how an earlier complaint was handled (ANRE Order 16/2015 art. 2 i). */
export const CONTEST_CATEGORY = 'solutionare_plangeri' as const;

/** A case whose answer can be contested: the answer went out (or the case was filed with a reply). */
const CONTESTABLE = new Set(['answer_sent', 'closed', 'filed']);

export interface ContestInput {
  tenantId: string;
  /** The number of the case whose answer is contested. */
  number: string;
  channel: Channel;
  /** What the consumer says about the answer, exactly as received. */
  body: string;
  subject?: string | undefined;
  contactEmail?: string | undefined;
  contactPhone?: string | undefined;
  receivedAt?: Date | undefined;
  actor: { id: string | null; kind: ActorKind };
}

/**
 * The consumer contests the answer: a NEW case (category "handling of earlier complaints", routed by the DMN to
 * IL-34) registered through the one registration door and linked to the original in the same transaction. The
 * original stays exactly as it was (closed cases are never reopened); the link is read from the new case.
 * Staff call it through the API; the consumer portal calls it with `actor.kind = 'consumer'`.
 */
export async function contestAnswer(deps: RegisterDeps, input: ContestInput) {
  const original = await getCaseByNumber(deps.db, input.tenantId, input.number);
  if (!original) throw new DomainError('CASE_NOT_FOUND', { number: input.number });
  const o = original.case;
  if (!CONTESTABLE.has(o.status)) throw new DomainError('CASE_NOT_CONTESTABLE', { status: o.status });
  const body = input.body.trim();
  if (body.length < 10) throw new DomainError('CONTEST_TEXT_TOO_SHORT');
  const registered = await registerComplaint(
    deps,
    {
      tenantId: input.tenantId,
      channel: input.channel,
      category: CONTEST_CATEGORY,
      subject: input.subject?.trim() || `Contestarea răspunsului la reclamația nr. ${o.number}`,
      body,
      customerId: o.customerId ?? undefined,
      placeId: o.placeId ?? undefined,
      contactName: o.contactName,
      contactEmail: input.contactEmail ?? o.contactEmail ?? undefined,
      contactPhone: input.contactPhone ?? o.contactPhone ?? undefined,
      receivedAt: input.receivedAt,
      actor: input.actor,
    },
    {
      inTransaction: async (tx, reg) => {
        await tx.update(cases).set({ contestsCaseId: o.id }).where(eq(cases.id, reg.id));
        await addCaseEvent(tx, {
          tenantId: input.tenantId,
          caseId: reg.id,
          type: 'contests',
          visibility: 'public',
          message: `Contestație la răspunsul dat reclamației nr. ${o.number}.`,
          actorId: input.actor.kind === 'user' ? input.actor.id : null,
        });
        await appendAudit(tx, {
          tenantId: input.tenantId,
          actorId: input.actor.id,
          actorKind: input.actor.kind,
          action: 'case.answer_contested',
          entityType: 'case',
          entityId: o.id,
          details: { original: o.number, contestation: reg.number },
        });
      },
    },
  );
  return { ...registered, contests: { number: o.number, status: o.status } };
}

/** Both directions of the link: the case this one contests, and the later cases that contest this one. */
export async function caseLinks(db: DbOrTx, tenantId: string, number: string) {
  const row = await getCaseByNumber(db, tenantId, number);
  if (!row) throw new DomainError('CASE_NOT_FOUND', { number });
  const linkColumns = {
    number: cases.number,
    status: cases.status,
    receivedAt: cases.receivedAt,
    dueDate: cases.dueDate,
  };
  const [contests, contestedBy] = await Promise.all([
    row.case.contestsCaseId
      ? db
          .select(linkColumns)
          .from(cases)
          .where(and(eq(cases.tenantId, tenantId), eq(cases.id, row.case.contestsCaseId)))
      : Promise.resolve([]),
    db
      .select(linkColumns)
      .from(cases)
      .where(and(eq(cases.tenantId, tenantId), eq(cases.contestsCaseId, row.case.id)))
      .orderBy(asc(cases.receivedAt)),
  ]);
  const out = (r: (typeof contestedBy)[number]) => ({ ...r, receivedAt: r.receivedAt.toISOString() });
  return { number, contests: contests[0] ? out(contests[0]) : null, contestedBy: contestedBy.map(out) };
}
