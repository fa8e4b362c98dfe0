import { TOPICS } from '../../processes/topics.ts';
import { deliveryChannel } from '../codes/delivery.ts';
import { renderAnswer } from '../mail/templates/answer.ts';
import { issueAnswerDocuments, loadCaseContext, recordWorkerStep, sendCaseMailOnce } from '../cases/index.ts';
import { queueLetter } from '../documents/index.ts';
import { defineWorker, requireString } from './worker.ts';

/**
 * E-mails the approved answer to the consumer and marks the case answered. By e-mail the answer counts as given
 * when SMTP accepted it (`answerCommunicatedAt`); by post, when its dispatch is recorded (compute-compensation).
 */
export const sendAnswerWorker = defineWorker({
  topic: TOPICS.sendAnswer,
  variables: ['caseId'],
  lockDurationMs: 60_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    if (!ctx.c.answerText) throw new Error('the case has no approved answer text');
    const now = new Date();
    // The answer letter and the verification report, as immutable PDFs (issued once; a retry reuses them).
    const docs = await issueAnswerDocuments(deps.db, ctx.tenant, ctx.c.number);
    if (deliveryChannel(ctx.c) === 'post') {
      await deps.db.transaction(async (tx) => {
        await queueLetter(tx, {
          tenantId: ctx.c.tenantId,
          caseId: ctx.c.id,
          documentId: docs.answer.id,
          recipientName: ctx.c.contactName,
          address: docs.address,
        });
        await recordWorkerStep(
          tx,
          ctx,
          {
            action: 'case.answer_postal',
            eventType: 'answer_postal',
            message: 'Răspunsul se transmite prin poștă.',
            visibility: 'public',
          },
          { status: 'answer_sent', answerSentAt: now },
          { documents: [docs.answer.sha256, docs.report.sha256] },
        );
      });
      return { kind: 'complete', variables: { answeredBy: 'post', answerCommunicated: false } };
    }
    const mail = await renderAnswer({
      supplier: ctx.tenant.name,
      number: ctx.c.number,
      registeredOn: ctx.c.registeredOn,
      contactName: ctx.c.contactName,
      answerText: ctx.c.answerText,
      statusUrl: ctx.statusUrl,
      legalBasis: ctx.c.deadlineRule.legalBasis,
    });
    const attachments = [docs.answer, docs.report].map((d) => ({
      filename: d.fileName,
      content: d.content,
      contentType: d.contentType,
    }));
    await sendCaseMailOnce(deps, ctx, 'answer', { ...mail, attachments }, (tx) =>
      recordWorkerStep(
        tx,
        ctx,
        {
          action: 'case.answer_sent',
          eventType: 'answer_sent',
          message: 'Răspunsul a fost transmis prin e-mail.',
          visibility: 'public',
        },
        // Written in the transaction that commits only once the SMTP server accepted the message (sendCaseMailOnce).
        {
          status: 'answer_sent',
          answerSentAt: now,
          answerCommunicatedAt: new Date(),
          answerCommunicatedBy: 'email',
        },
        { documents: [docs.answer.sha256, docs.report.sha256] },
      ),
    );
    return { kind: 'complete', variables: { answeredBy: 'email', answerCommunicated: true } };
  },
});
