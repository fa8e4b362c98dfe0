import { TOPICS } from '../../processes/topics.ts';
import { deliveryChannel, type DeliveryChannel } from '../codes/delivery.ts';
import { filingNoticeLetter, type FilingReason } from '../mail/templates/case-letters.ts';
import { recordCaseVersions, loadCaseContext, recordWorkerStep, sendCaseLetter } from '../cases/index.ts';
import { defineWorker, requireString } from './worker.ts';

const EVENTS: Record<FilingReason, string> = {
  duplicate: 'Reclamația a fost conexată unei reclamații anterioare cu același conținut și se clasează.',
  misdirected:
    'Reclamația nu este de competența furnizorului; a fost redirecționată, petentul a fost înștiințat.',
  anonymous: 'Reclamație fără date de identificare: se clasează (OG nr. 27/2002, art. 7).',
  not_a_complaint:
    'Solicitarea nu este o reclamație: s-a transmis un răspuns scurt, nu intră în statistica plângerilor.',
  withdrawn: 'Clientul și-a retras reclamația; dosarul se închide, clientul a primit confirmarea.',
  incomplete:
    'Clientul nu a completat reclamația în termenul acordat: se clasează, clientul a fost înștiințat.',
};

/**
 * Files a case SEF approved for filing (IL-08): duplicate, misdirected, anonymous, not a complaint, withdrawn, or
 * never completed by the consumer. The consumer gets the filing notice (or, for what is not a complaint, a short
 * answer) by e-mail or letter, with its legal basis; an anonymous complaint has nobody to tell. The notice's
 * communication counts as the answer's: by e-mail at once, by letter once its dispatch is recorded (`answeredBy`).
 */
export const fileCaseWorker = defineWorker({
  topic: TOPICS.fileCase,
  variables: ['caseId', 'triage'],
  lockDurationMs: 60_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const triage = task.variable('triage');
    const reason: FilingReason = (
      ctx.c.filedReason && ctx.c.filedReason in EVENTS
        ? ctx.c.filedReason
        : triage === 'incomplete'
          ? 'incomplete'
          : 'duplicate'
    ) as FilingReason;
    const recordVersions = async () => {
      if (deps.engine) await recordCaseVersions(deps.db, deps.engine, task.tenantId, ctx.c.id, ctx.c.number);
    };
    if (ctx.c.status === 'filed') {
      await recordVersions();
      const posted =
        !ctx.c.answerCommunicatedAt && deliveryChannel(ctx.c) === 'post' && reason !== 'anonymous';
      return {
        kind: 'complete',
        variables: { answeredBy: posted ? 'post' : 'email', answerCommunicated: !posted },
      };
    }
    const step = {
      action: 'case.filed',
      eventType: 'filed',
      message: EVENTS[reason],
      visibility: 'public' as const,
    };
    const letter = filingNoticeLetter(ctx.c, reason);
    const update = (emailedAt: Date | null) => ({
      status: 'filed' as const,
      closedAt: new Date(),
      filedReason: reason,
      ...(reason === 'not_a_complaint' ? { kind: 'not_a_complaint' as const } : {}),
      ...(emailedAt ? { answerCommunicatedAt: emailedAt, answerCommunicatedBy: 'email' as const } : {}),
    });
    let by: DeliveryChannel | 'none' = 'none';
    if (reason === 'anonymous') {
      await deps.db.transaction((tx) => recordWorkerStep(tx, ctx, step, update(null), { reason }));
    } else {
      by = await sendCaseLetter(deps, ctx, 'filed', 'filing_letter', letter, step, update, {
        reason,
        legalBasis: letter.legalBasis,
      });
    }
    await recordVersions();
    // A notice by post counts once its dispatch is recorded (IL-33, the postal dispatch task that follows).
    return { kind: 'complete', variables: { answeredBy: by, answerCommunicated: by !== 'post' } };
  },
});
