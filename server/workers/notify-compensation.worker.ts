import { TOPICS } from '../../processes/topics.ts';
import { businessClock } from '../deadlines/index.ts';
import { compensationNoticeLetter } from '../mail/templates/case-letters.ts';
import { loadCaseContext, sendCaseLetter } from '../cases/index.ts';
import { defineWorker, requireString } from './worker.ts';

const METHODS = ['invoice_credit', 'bank_transfer', 'postal_order'] as const;

/**
 * Finance granted the compensation (IL-29): records the payment on the case (date, method, amount) and tells the
 * consumer the amount, how it was granted and the legal basis, by e-mail or by letter. Once per case.
 */
export const notifyCompensationWorker = defineWorker({
  topic: TOPICS.notifyCompensation,
  variables: ['caseId', 'compensationPaidOn', 'compensationPaymentMethod', 'compensationPaidLei'],
  lockDurationMs: 60_000,
  async handler(task, deps) {
    const ctx = await loadCaseContext(deps, task.tenantId, requireString(task, 'caseId'));
    const paidOn = requireString(task, 'compensationPaidOn');
    const method = requireString(task, 'compensationPaymentMethod') as (typeof METHODS)[number];
    if (!METHODS.includes(method)) throw new Error(`unknown payment method ${method}`);
    const amount = Number(task.variable('compensationPaidLei'));
    if (!Number.isInteger(amount) || amount <= 0)
      throw new Error('compensationPaidLei is not a positive integer');
    if (ctx.c.compensationNotifiedAt) return { kind: 'complete' };
    const letter = compensationNoticeLetter(ctx.c, {
      delayDays: ctx.c.delayDays ?? 0,
      unit: ctx.c.deadlineRule.unit,
      amountLei: amount,
      method,
      paidOn,
      communicatedOn: ctx.c.answerCommunicatedAt ? businessClock(ctx.c.answerCommunicatedAt).date : null,
      legalBasis: ctx.tenant.compensationLegalBasis,
    });
    await sendCaseLetter(
      deps,
      ctx,
      'compensation',
      'compensation_letter',
      letter,
      {
        action: 'case.compensation_paid',
        eventType: 'compensation_paid',
        message: `Compensația de ${amount} lei a fost acordată (${letter.facts.find((f) => f.label === 'Mod de acordare')?.value}); clientul a fost înștiințat.`,
        visibility: 'public',
      },
      {
        compensationPaidOn: paidOn,
        compensationPaymentMethod: method,
        compensationPaidLei: amount,
        compensationNotifiedAt: new Date(),
      },
      { paidOn, method, amountLei: amount, owedLei: ctx.c.compensationLei },
    );
    return { kind: 'complete' };
  },
});
