import { TOPICS } from '../../processes/topics.ts';
import { businessClock, dueDate, endOfBusinessDay, nonWorkingDaysOf } from '../deadlines/index.ts';
import { renderNotice } from '../mail/templates/notice.ts';
import {
  latestOperatorRequest,
  markOperatorRequestSent,
  noteOperatorRequestMessageId,
} from '../operator-requests/index.ts';
import { loadCaseContext, recordWorkerStep } from '../cases/index.ts';
import { defineWorker, requireString } from './worker.ts';

/** Working days the distribution operator gets before we consider extending the deadline. */
export const OPERATOR_ANSWER_WORKING_DAYS = 5;

/**
 * E-mails the request to the tenant's distribution operator address with our reference in the subject; the
 * answer is matched back by that reference. Sends once per request (the row records when it went out).
 */
export const sendOperatorRequestWorker = defineWorker({
  topic: TOPICS.sendOperatorRequest,
  variables: ['caseId'],
  lockDurationMs: 60_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const req = await latestOperatorRequest(deps.db, task.tenantId, task.processInstanceId);
    if (!req) throw new Error('no operator request recorded for this process instance');
    const to = ctx.tenant.operatorEmail;
    if (!to)
      throw new Error(
        'Furnizorul nu are adresa de e-mail a operatorului de distribuție (Administrare → Setări).',
      );
    const extra = await nonWorkingDaysOf(deps.db, task.tenantId);
    const waitUntil = endOfBusinessDay(
      dueDate(
        businessClock(new Date()).date,
        { days: OPERATOR_ANSWER_WORKING_DAYS, unit: 'working' },
        {
          extraNonWorkingDays: extra,
        },
      ),
    );
    if (req.sentAt) return { kind: 'complete', variables: { operatorWaitUntil: waitUntil } };
    const domain = new URL(ctx.tenant.publicUrl).hostname || 'reclamatii.local';
    const messageId = `<od.${req.id}.${ctx.c.id}@${domain}>`;
    const mail = await renderNotice({
      supplier: ctx.tenant.name,
      subject: `Solicitare date ref. ${req.reference}`,
      paragraphs: [
        `Vă rugăm să ne transmiteți, în legătură cu reclamația nr. ${ctx.c.number}, următoarele:`,
        req.questions,
        `Vă rugăm să răspundeți la acest e-mail păstrând referința ${req.reference} în subiect.`,
      ],
    });
    // The Message-ID is committed before the e-mail leaves: an operator who answers at once (In-Reply-To) must
    // find it, and the intake may read the answer before the transaction below commits.
    await noteOperatorRequestMessageId(deps.db, req.id, messageId);
    await deps.db.transaction(async (tx) => {
      if (!(await markOperatorRequestSent(tx, req.id, to, messageId))) return;
      await deps.mailer.send({ to, messageId, ...mail, headers: { 'X-Reclamatii-Case': ctx.c.number } });
      await recordWorkerStep(
        tx,
        ctx,
        {
          action: 'case.operator_request_sent',
          eventType: 'operator_request_sent',
          message: `Am solicitat operatorului de distribuție datele necesare (ref. ${req.reference}).`,
          visibility: 'public',
        },
        {},
        { reference: req.reference },
      );
    });
    return { kind: 'complete', variables: { operatorWaitUntil: waitUntil } };
  },
});
