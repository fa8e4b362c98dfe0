import { TOPICS } from '../../processes/topics.ts';
import { renderAnswer } from '../mail/templates/answer.ts';
import { deliverToConsumer, issueAnswerDocuments, loadCaseContext } from '../cases/index.ts';
import { defineWorker, requireString } from './worker.ts';

/**
 * Sends the approved answer to the consumer (deliverToConsumer: by e-mail, else by post) and marks the case
 * answered. By e-mail the answer counts as given when SMTP accepted it (`answerCommunicatedAt`); by post, when its
 * dispatch is recorded (compute-compensation).
 */
export const sendAnswerWorker = defineWorker({
  topic: TOPICS.sendAnswer,
  variables: ['caseId'],
  lockDurationMs: 60_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const answerText = ctx.c.answerText;
    if (!answerText) throw new Error('the case has no approved answer text');
    const now = new Date();
    // The answer letter and the verification report, as immutable PDFs (issued once; a retry reuses them).
    const docs = await issueAnswerDocuments(deps.db, ctx.tenant, ctx.c.number);
    const documents = [docs.answer.sha256, docs.report.sha256];
    const by = await deliverToConsumer(deps, ctx, {
      kind: 'answer',
      async mail() {
        const mail = await renderAnswer({
          supplier: ctx.tenant.name,
          number: ctx.c.number,
          registeredOn: ctx.c.registeredOn,
          contactName: ctx.c.contactName,
          answerText,
          statusUrl: ctx.statusUrl,
          legalBasis: ctx.c.deadlineRule.legalBasis,
        });
        const attachments = [docs.answer, docs.report].map((d) => ({
          filename: d.fileName,
          content: d.content,
          contentType: d.contentType,
        }));
        return { ...mail, attachments };
      },
      // Posted even when the address is not known yet: the register asks for it (queueLetter).
      letter: async () => ({ doc: docs.answer, address: docs.address }),
      step: (channel) =>
        channel === 'email'
          ? {
              step: {
                action: 'case.answer_sent',
                eventType: 'answer_sent',
                message: 'Răspunsul a fost transmis prin e-mail.',
                visibility: 'public',
              },
              // Written in the transaction that commits only once the SMTP server accepted the message.
              update: {
                status: 'answer_sent',
                answerSentAt: now,
                answerCommunicatedAt: new Date(),
                answerCommunicatedBy: 'email',
              },
              details: { documents },
            }
          : {
              step: {
                action: 'case.answer_postal',
                eventType: 'answer_postal',
                message: 'Răspunsul se transmite prin poștă.',
                visibility: 'public',
              },
              update: { status: 'answer_sent', answerSentAt: now },
              details: { documents },
            },
    });
    return {
      kind: 'complete',
      variables: { answeredBy: by, answerCommunicated: by === 'email' },
    };
  },
});
