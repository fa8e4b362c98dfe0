import { TOPICS } from '../../processes/topics.ts';
import {
  deliverToConsumer,
  getCaseById,
  issueAcknowledgementLetter,
  loadCaseContext,
} from '../cases/index.ts';
import { CASE_STATUS_LABELS } from '../codes/case-codes.ts';
import { renderAcknowledgement } from '../mail/templates/acknowledgement.ts';
import { defineWorker, requireString } from './worker.ts';

/**
 * Tells the consumer the registration number, date, due date and the status page link with the access code: by
 * e-mail, or with no e-mail on file as a letter in the postal dispatch register (deliverToConsumer).
 */
export const acknowledgeWorker = defineWorker({
  topic: TOPICS.acknowledge,
  variables: ['caseId'],
  lockDurationMs: 60_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const by = await deliverToConsumer(deps, ctx, {
      kind: 'acknowledgement',
      async mail() {
        // A case opened by a further message or a contestation names the earlier case it is linked to.
        const earlier = ctx.c.contestsCaseId
          ? await getCaseById(deps.db, task.tenantId, ctx.c.contestsCaseId)
          : null;
        return renderAcknowledgement({
          supplier: ctx.tenant.name,
          number: ctx.c.number,
          receivedAt: ctx.c.receivedAt.toISOString(),
          registeredOn: ctx.c.registeredOn,
          dueDate: ctx.c.dueDate,
          statusUrl: ctx.statusUrl,
          accessCode: ctx.accessCode,
          subject: ctx.c.subject,
          earlier: earlier
            ? { number: earlier.number, statusLabel: CASE_STATUS_LABELS[earlier.status] }
            : null,
          legalBasis: ctx.c.deadlineRule.legalBasis,
        });
      },
      // Posted even when the address is not known yet: the register asks for it (queueLetter).
      letter: () =>
        issueAcknowledgementLetter(deps.db, ctx.tenant, ctx.c.number, {
          statusUrl: ctx.statusUrl,
          accessCode: ctx.accessCode,
        }),
      step: (channel, letter) =>
        channel === 'email'
          ? {
              step: {
                action: 'case.acknowledgement_sent',
                eventType: 'acknowledgement_sent',
                message: 'Confirmarea înregistrării a fost transmisă prin e-mail.',
                visibility: 'public',
              },
            }
          : {
              step: {
                action: 'case.acknowledgement_postal',
                eventType: 'acknowledgement_postal',
                message: 'Confirmarea înregistrării se transmite prin poștă.',
                visibility: 'public',
              },
              details: { document: letter?.doc.sha256 },
            },
    });
    return { kind: 'complete', variables: { acknowledgedBy: by } };
  },
});
