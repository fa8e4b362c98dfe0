/**
 * The regulator report's arithmetic (issue 16 item 1), free of the database: what one complaint contributes to a
 * period (`caseFacts`) and the sums over any split (`aggregate`). The meaning of each figure is written in
 * definitions.ts; "in time" and the communication date are the case's regulator data (server/deadlines,
 * regulatorData, the one definition GET /api/complaints/:number shows).
 *
 * Every figure is decided by events dated up to the end of the period (registration, communication, the due day,
 * the payment), never by the day the report runs, so a past quarter computed again later gives the same numbers.
 *
 * One file although past 300 lines: it is one computation, from a case's facts to the report's rows, totals and
 * tables; the figures are defined against each other (in time, late, answered), so they are read and checked together.
 */
import {
  caseSources,
  channels,
  complaintCategories,
  customerTypes,
  energies,
  type CaseSource,
  type Channel,
  type ComplaintCategory,
  type CustomerType,
  type Energy,
} from '../codes/case-codes.ts';
import { reportSplits } from '../codes/report-codes.ts';
import {
  addDays,
  businessClock,
  compensationLei,
  delayDays,
  regulatorData,
  type CalendarOptions,
  type CompensationRule,
  type IsoDate,
} from '../deadlines/index.ts';
import type { Definition } from './definitions.ts';

export type DeadlineUnit = 'working' | 'calendar';

/** The columns of a complaint the report reads (reports.repo.ts selects exactly these). */
export interface ReportCase {
  category: ComplaintCategory;
  customerType: CustomerType | null;
  energy: Energy | null;
  channel: Channel;
  source: CaseSource;
  registeredOn: IsoDate;
  dueDate: IsoDate;
  deadlineRule: { unit: DeadlineUnit };
  status: string;
  filedReason: string | null;
  closedAt: Date | null;
  answerCommunicatedAt: Date | null;
  answerCommunicatedBy: 'email' | 'post' | 'portal' | null;
  breachedAt: Date | null;
  delayDays: number | null;
  compensationLei: number | null;
  compensationPaidLei: number | null;
  compensationPaidOn: IsoDate | null;
  compensationPaymentMethod: 'invoice_credit' | 'bank_transfer' | 'postal_order' | null;
  compensationNotifiedAt: Date | null;
}

export interface Period {
  from: IsoDate;
  to: IsoDate;
  /** The last day whose events count: `to`, or today while the period has not ended. */
  asOf: IsoDate;
}

/** The splits of the report, in the order the rows are keyed and sorted. */
export interface Split {
  category: ComplaintCategory;
  customerType: CustomerType | null;
  energy: Energy | null;
  channel: Channel;
  source: CaseSource;
}

export interface Facts extends Split {
  received: boolean;
  solved: boolean;
  solvedInTime: boolean;
  late: boolean;
  pending: boolean;
  compensationOwed: boolean;
  compensationOwedLei: number;
  compensationPaid: boolean;
  compensationPaidLei: number;
  /** Days from registration to communication in the rule's unit, when solved in the period. */
  handlingDays: number | null;
  unit: DeadlineUnit;
}

export interface Measures {
  received: number;
  solved: number;
  solvedInTime: number;
  late: number;
  pending: number;
  compensationsOwed: number;
  compensationsPaid: number;
  /** Lei paid in the period. */
  compensationLei: number;
  compensationOwedLei: number;
  /** Average and maximum handling time of the complaints solved in the period (one decimal), in `handlingTimeUnit`. */
  handlingTimeAvg: number | null;
  handlingTimeMax: number | null;
  handlingTimeUnit: DeadlineUnit | 'mixed' | null;
}

/** Anonymous complaints are filed with nobody to tell and owe nothing (docs/legal.md, "Filing", "Compensation"). */
const ANONYMOUS = 'anonymous';

/** The day a complaint counts as solved: its communication (regulator data), or the filing of an anonymous one. */
function solvedOnOf(c: ReportCase, communicatedAt: string | null): IsoDate | null {
  if (communicatedAt) return businessClock(new Date(communicatedAt)).date;
  if (c.status === 'filed' && c.filedReason === ANONYMOUS && c.closedAt)
    return businessClock(c.closedAt).date;
  return null;
}

const within = (d: IsoDate | null, from: IsoDate, to: IsoDate): d is IsoDate =>
  d !== null && d >= from && d <= to;

/** Days after `from` up to `to` in a unit (server/deadlines' delayDays, the count of a delay). */
export type DayCounter = (from: IsoDate, to: IsoDate, unit: DeadlineUnit) => number;

/**
 * delayDays over a tenant's calendar, remembered per (from, to, unit): a quarter's complaints share few distinct
 * dates, and counting a year of days for every open complaint one by one would take seconds.
 */
export function dayCounter(calendar: CalendarOptions = {}): DayCounter {
  const memo = new Map<string, number>();
  return (from, to, unit) => {
    const key = `${from}|${to}|${unit}`;
    let n = memo.get(key);
    if (n === undefined) {
      n = delayDays(from, to, unit, calendar);
      memo.set(key, n);
    }
    return n;
  };
}

/** What one complaint contributes to the period. */
export function caseFacts(
  c: ReportCase,
  p: Period,
  rule: CompensationRule,
  countDays: DayCounter = dayCounter(),
): Facts {
  const regulator = regulatorData(c);
  const solvedOn = solvedOnOf(c, regulator.answerCommunicatedAt);
  const solvedByEnd = solvedOn !== null && solvedOn <= p.asOf ? solvedOn : null;
  const solved = within(solvedByEnd, p.from, p.asOf);
  // In time: communicated on or before the due day (regulatorData's answeredInTime); an anonymous filing by its date.
  const inTime = regulator.answerCommunicatedAt
    ? regulator.answeredInTime === true
    : solvedOn !== null && solvedOn <= c.dueDate;
  const unit = c.deadlineRule.unit;

  // Owed from the first day of delay: the day after the due day, reached without a communicated answer.
  const firstDayLate = addDays(c.dueDate, 1);
  const owes = c.filedReason !== ANONYMOUS;
  const compensationOwed =
    owes && within(firstDayLate, p.from, p.asOf) && !(solvedByEnd !== null && solvedByEnd <= c.dueDate);
  let compensationOwedLei = 0;
  if (compensationOwed) {
    // Fixed when the late answer was communicated by the end of the period (as stored then); else accrued so far.
    const final = solvedByEnd !== null && regulator.compensation.final && c.compensationLei !== null;
    compensationOwedLei = final
      ? c.compensationLei!
      : compensationLei(countDays(c.dueDate, solvedByEnd ?? p.asOf, unit), rule);
  }
  const compensationPaid = within(c.compensationPaidOn, p.from, p.asOf);
  return {
    category: c.category,
    customerType: c.customerType,
    energy: c.energy,
    channel: c.channel,
    source: c.source,
    received: within(c.registeredOn, p.from, p.to),
    solved,
    solvedInTime: solved && inTime,
    late: solved && !inTime,
    pending: c.registeredOn <= p.asOf && solvedByEnd === null,
    compensationOwed,
    compensationOwedLei,
    compensationPaid,
    compensationPaidLei: compensationPaid ? (c.compensationPaidLei ?? 0) : 0,
    // Counted like the term: the registration day not counted, in the rule's unit (working or calendar days).
    handlingDays: solved ? countDays(c.registeredOn, solvedByEnd!, unit) : null,
    unit,
  };
}

/** Whether a complaint adds anything to the period (a row exists only for a combination that does). */
export function counts(f: Facts): boolean {
  return f.received || f.solved || f.pending || f.compensationOwed || f.compensationPaid;
}

/** The sums over a group of complaints. */
export function aggregate(facts: readonly Facts[]): Measures {
  const m: Measures = {
    received: 0,
    solved: 0,
    solvedInTime: 0,
    late: 0,
    pending: 0,
    compensationsOwed: 0,
    compensationsPaid: 0,
    compensationLei: 0,
    compensationOwedLei: 0,
    handlingTimeAvg: null,
    handlingTimeMax: null,
    handlingTimeUnit: null,
  };
  let handlingSum = 0;
  let handled = 0;
  const units = new Set<DeadlineUnit>();
  for (const f of facts) {
    m.received += Number(f.received);
    m.solved += Number(f.solved);
    m.solvedInTime += Number(f.solvedInTime);
    m.late += Number(f.late);
    m.pending += Number(f.pending);
    m.compensationsOwed += Number(f.compensationOwed);
    m.compensationOwedLei += f.compensationOwedLei;
    m.compensationsPaid += Number(f.compensationPaid);
    m.compensationLei += f.compensationPaidLei;
    if (f.handlingDays !== null) {
      handlingSum += f.handlingDays;
      handled++;
      m.handlingTimeMax = Math.max(m.handlingTimeMax ?? 0, f.handlingDays);
      units.add(f.unit);
    }
  }
  if (handled) {
    m.handlingTimeAvg = Math.round((handlingSum / handled) * 10) / 10;
    m.handlingTimeUnit = units.size === 1 ? [...units][0]! : 'mixed';
  }
  return m;
}

export type SplitName = keyof Split;
export const SPLITS: readonly SplitName[] = reportSplits;

/** Every value a split can take, in the code lists' order (the tables list them all, with zeros). */
const SPLIT_VALUES: Record<SplitName, readonly string[]> = {
  category: complaintCategories,
  customerType: customerTypes,
  energy: energies,
  channel: channels,
  source: caseSources,
};

function order(split: SplitName, v: string | null): number {
  const i = v === null ? -1 : SPLIT_VALUES[split].indexOf(v);
  // Unknown (null) last.
  return i < 0 ? SPLIT_VALUES[split].length : i;
}

export type Row = Split & Measures;
export type TableRow = { key: string | null } & Measures;

/** One row per combination of the five splits present in the period, sorted by the code lists' order. */
export function rowsOf(facts: readonly Facts[]): Row[] {
  const groups = new Map<string, Facts[]>();
  for (const f of facts.filter(counts)) {
    const key = JSON.stringify(SPLITS.map((s) => f[s]));
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const rows = [...groups.values()].map((g) => {
    const first = g[0]!;
    return {
      category: first.category,
      customerType: first.customerType,
      energy: first.energy,
      channel: first.channel,
      source: first.source,
      ...aggregate(g),
    };
  });
  return rows.sort((a, b) => {
    for (const s of SPLITS) {
      const d = order(s, a[s]) - order(s, b[s]);
      if (d) return d;
    }
    return 0;
  });
}

/** One table per split: every value of its code list (zeros included), and "unknown" when some complaint has none. */
export function tableOf(facts: readonly Facts[], split: SplitName): TableRow[] {
  const present = facts.filter(counts);
  const keys: Array<string | null> = [...SPLIT_VALUES[split]];
  if (present.some((f) => f[split] === null)) keys.push(null);
  return keys.map((key) => ({ key, ...aggregate(present.filter((f) => f[split] === key)) }));
}

export function totalOf(facts: readonly Facts[]): Measures {
  return aggregate(facts.filter(counts));
}

/** The regulator report of a period: the contract of GET /api/reports/indicators (issue 16). */
export interface IndicatorsReport {
  period: { from: IsoDate; to: IsoDate; asOf: IsoDate; label: string };
  /** One row per combination of category, customer type, energy, channel and source present in the period. */
  rows: Row[];
  /** One table per split, every value of its code list listed. */
  tables: Record<SplitName, TableRow[]>;
  total: Measures;
  definitions: Definition[];
}
