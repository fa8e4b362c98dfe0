import { isAnsweredCase } from '../codes/case-codes.ts';
import type { Channel } from '../db/schema/index.ts';
import { DomainError } from '../errors.ts';
import type { ActorKind } from '../audit/index.ts';
import { getCaseByNumber, linkContestation } from '../cases/index.ts';
import { registerComplaint, type RegisterDeps } from './register-complaint.ts';

/** The category of a complaint about how an earlier complaint was handled (ANRE Order 16/2015 art. 2 i). */
export const CONTEST_CATEGORY = 'solutionare_plangeri' as const;

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
  // Only an answered case can be contested: the answer went out (or the case was filed with a reply).
  if (!isAnsweredCase(o.status)) throw new DomainError('CASE_NOT_CONTESTABLE', { status: o.status });
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
      inTransaction: (tx, reg) =>
        linkContestation(tx, {
          tenantId: input.tenantId,
          contestation: reg,
          original: o,
          actor: input.actor,
        }),
    },
  );
  return { ...registered, contests: { number: o.number, status: o.status } };
}
