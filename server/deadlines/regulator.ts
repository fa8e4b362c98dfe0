import type { CommunicationChannel } from '../codes/delivery.ts';
import type { Case } from '../db/schema/index.ts';
import { businessClock } from './calendar.ts';

/**
 * What the quarterly report to ANRE needs of one case, read from the case row (issue 12, "regulator-ready data"):
 * registration date and channel, when the answer was communicated (SMTP accepted, letter's dispatch recorded in
 * the postal register, or download in the portal: `answerCommunicatedAt`, the one date breach and compensation use),
 * whether that was in time, and the compensation owed and paid. The reporting only aggregates these.
 */
export interface RegulatorData {
  registeredOn: string;
  channel: Case['channel'];
  source: Case['source'];
  dueDate: string;
  answerCommunicatedAt: string | null;
  answerCommunicatedBy: CommunicationChannel | null;
  /** true: communicated on or before the due day; false: communicated late, or the due day passed without it; null: not due yet. */
  answeredInTime: boolean | null;
  delayDays: number | null;
  compensation: {
    owedLei: number | null;
    /** When the amount was determined: the communication of a late answer, else the breach (at least the base amount). */
    determinedAt: string | null;
    /** The amount is final once the answer is communicated; before, it is what the breach recorded so far. */
    final: boolean;
    paidLei: number | null;
    paidOn: string | null;
    paymentMethod: 'invoice_credit' | 'bank_transfer' | 'postal_order' | null;
    notifiedAt: string | null;
  };
}

/** The columns of a case the regulator's data is read from (the report selects only these). */
export type RegulatorCase = Pick<
  Case,
  | 'registeredOn'
  | 'channel'
  | 'source'
  | 'dueDate'
  | 'answerCommunicatedAt'
  | 'answerCommunicatedBy'
  | 'breachedAt'
  | 'delayDays'
  | 'compensationLei'
  | 'compensationPaidLei'
  | 'compensationPaidOn'
  | 'compensationPaymentMethod'
  | 'compensationNotifiedAt'
>;

export function regulatorData(c: RegulatorCase, now: Date = new Date()): RegulatorData {
  const communicated = c.answerCommunicatedAt;
  const communicatedOn = communicated ? businessClock(communicated).date : null;
  const today = businessClock(now).date;
  const answeredInTime =
    communicatedOn !== null ? communicatedOn <= c.dueDate : today > c.dueDate || c.breachedAt ? false : null;
  const owed = c.compensationLei;
  const determinedAt =
    owed === null || owed === 0
      ? null
      : communicated && communicatedOn! > c.dueDate
        ? communicated
        : (c.breachedAt ?? communicated);
  return {
    registeredOn: c.registeredOn,
    channel: c.channel,
    source: c.source,
    dueDate: c.dueDate,
    answerCommunicatedAt: communicated?.toISOString() ?? null,
    answerCommunicatedBy: c.answerCommunicatedBy ?? null,
    answeredInTime,
    delayDays: c.delayDays,
    compensation: {
      owedLei: owed,
      determinedAt: determinedAt?.toISOString() ?? null,
      final: owed !== null && !!communicated,
      paidLei: c.compensationPaidLei,
      paidOn: c.compensationPaidOn,
      paymentMethod: c.compensationPaymentMethod ?? null,
      notifiedAt: c.compensationNotifiedAt?.toISOString() ?? null,
    },
  };
}
