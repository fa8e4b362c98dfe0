import { TOPICS } from '../../processes/topics.ts';
import {
  getCaseById,
  issueAcknowledgementLetter,
  loadCaseContext,
  recordWorkerStep,
  sendCaseMailOnce,
} from '../cases/index.ts';
import { CASE_STATUS_LABELS } from '../codes/case-codes.ts';
import { deliveryChannel } from '../codes/delivery.ts';
import { renderAcknowledgement } from '../mail/templates/acknowledgement.ts';
import { queueLetter } from '../documents/index.ts';
import { defineWorker, requireString } from './worker.ts';

/** E-mails the consumer the registration number, date, due date and the status page link with the access code. */
export const acknowledgeWorker = defineWorker({
  topic: TOPICS.acknowledge,
  variables: ['caseId'],
  lockDurationMs: 60_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    if (deliveryChannel(ctx.c) === 'post') {
      // No e-mail on file: the acknowledgement goes by post, as a letter in the postal dispatch register.
      const letter = await issueAcknowledgementLetter(deps.db, ctx.tenant, ctx.c.number, {
        statusUrl: ctx.statusUrl,
        accessCode: ctx.accessCode,
      });
      await deps.db.transaction(async (tx) => {
        await queueLetter(tx, {
          tenantId: ctx.c.tenantId,
          caseId: ctx.c.id,
          documentId: letter.doc.id,
          recipientName: ctx.c.contactName,
          address: letter.address,
        });
        await recordWorkerStep(
          tx,
          ctx,
          {
            action: 'case.acknowledgement_postal',
            eventType: 'acknowledgement_postal',
            message: 'Confirmarea înregistrării se transmite prin poștă.',
            visibility: 'public',
          },
          {},
          { document: letter.doc.sha256 },
        );
      });
      return { kind: 'complete', variables: { acknowledgedBy: 'post' } };
    }
    // A case opened by a further message or a contestation names the earlier case it is linked to.
    const earlier = ctx.c.contestsCaseId
      ? await getCaseById(deps.db, task.tenantId, ctx.c.contestsCaseId)
      : null;
    const mail = await renderAcknowledgement({
      supplier: ctx.tenant.name,
      number: ctx.c.number,
      receivedAt: ctx.c.receivedAt.toISOString(),
      registeredOn: ctx.c.registeredOn,
      dueDate: ctx.c.dueDate,
      statusUrl: ctx.statusUrl,
      accessCode: ctx.accessCode,
      subject: ctx.c.subject,
      earlier: earlier ? { number: earlier.number, statusLabel: CASE_STATUS_LABELS[earlier.status] } : null,
      legalBasis: ctx.c.deadlineRule.legalBasis,
    });
    await sendCaseMailOnce(deps, ctx, 'acknowledgement', mail, (tx) =>
      recordWorkerStep(tx, ctx, {
        action: 'case.acknowledgement_sent',
        eventType: 'acknowledgement_sent',
        message: 'Confirmarea înregistrării a fost transmisă prin e-mail.',
        visibility: 'public',
      }),
    );
    return { kind: 'complete', variables: { acknowledgedBy: 'email' } };
  },
});
