import { TOPICS } from '../../processes/topics.ts';
import { businessClock, dueDate, endOfBusinessDay } from '../deadlines/calendar.ts';
import { getDeadlineRule, listNonWorkingDays } from '../tenants/tenants.repo.ts';
import { renderNotice } from '../mail/templates/notice.ts';
import { roDate } from '../mail/templates/render.ts';
import { loadCaseContext, recordWorkerStep, sendCaseMailOnce } from './send-case-mail.ts';
import { OPERATOR_ANSWER_WORKING_DAYS } from './send-operator-request.worker.ts';
import { defineWorker, requireString, type Outcome } from './worker.ts';

/**
 * Extends the deadline once, by the tenant rule's extension, and tells the consumer before the deadline (Law
 * 31/2018: up to 30 days in energy, with prior notice). Without an allowed extension, or when already extended,
 * it records that and keeps waiting for the operator.
 */
export const extendDeadlineWorker = defineWorker({
  topic: TOPICS.extendDeadline,
  variables: ['caseId'],
  lockDurationMs: 60_000,
  async handler(task, deps): Promise<Outcome> {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const extra = await listNonWorkingDays(deps.db, task.tenantId);
    const opts = { extraNonWorkingDays: extra };
    const today = businessClock(new Date()).date;
    const waitAgain = (due: string) => {
      const w = dueDate(today, { days: OPERATOR_ANSWER_WORKING_DAYS, unit: 'working' }, opts);
      return endOfBusinessDay(w < due ? w : due);
    };
    const rule = await getDeadlineRule(deps.db, task.tenantId, ctx.c.category);
    if (ctx.c.extendedAt || !rule || rule.extensionDays <= 0) {
      await deps.db.transaction((tx) =>
        recordWorkerStep(tx, ctx, {
          action: 'case.extension_refused',
          eventType: 'extension_refused',
          message: ctx.c.extendedAt
            ? 'Termenul a fost deja prelungit o dată; nu se mai poate prelungi.'
            : 'Regula de termen a categoriei nu permite prelungirea.',
          visibility: 'internal',
        }),
      );
      return { kind: 'complete', variables: { operatorWaitUntil: waitAgain(ctx.c.dueDate) } };
    }
    const newDue = dueDate(
      ctx.c.dueDate,
      { days: rule.extensionDays, unit: rule.unit },
      { ...opts, reading: ctx.tenant.countingReading },
    );
    const inTime = today <= ctx.c.dueDate;
    const step = {
      action: 'case.deadline_extended',
      eventType: 'deadline_extended',
      message: `Termenul de răspuns a fost prelungit până la ${roDate(newDue)}${inTime ? '' : ' (înștiințare după termen)'}.`,
      visibility: 'public' as const,
    };
    const update = { dueDate: newDue, originalDueDate: ctx.c.dueDate, extendedAt: new Date() };
    const details = { from: ctx.c.dueDate, to: newDue, noticeInTime: inTime };
    if (ctx.c.contactEmail) {
      const mail = await renderNotice({
        supplier: ctx.tenant.name,
        subject: `Reclamația nr. ${ctx.c.number}: prelungirea termenului de răspuns`,
        paragraphs: [
          `Pentru soluționarea reclamației sunt necesare date de la operatorul de distribuție, care nu au fost încă primite.`,
          `Termenul de răspuns se prelungește de la ${roDate(ctx.c.dueDate)} până la ${roDate(newDue)}.`,
          `Puteți urmări dosarul aici: ${ctx.statusUrl}`,
        ],
      });
      await sendCaseMailOnce(deps, ctx, 'extension', mail, (tx) =>
        recordWorkerStep(tx, ctx, step, update, details),
      );
    } else {
      await deps.db.transaction((tx) => recordWorkerStep(tx, ctx, step, update, details));
    }
    return {
      kind: 'complete',
      variables: { dueAt: endOfBusinessDay(newDue), dueDate: newDue, operatorWaitUntil: waitAgain(newDue) },
    };
  },
});
