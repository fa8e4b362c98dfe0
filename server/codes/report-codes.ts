/**
 * The regulator report's columns and their Romanian labels (issue 16 item 1): one list for the exports (XLSX, CSV,
 * PDF) and the pages (the admin's report and the public page), so a file and a screen always say the same. No
 * imports: the web pages import this file too (`$codes`); the values' labels are case-codes.ts's.
 */

/** The splits of the report, in the order rows are keyed and sorted. */
export const reportSplits = ['category', 'customerType', 'energy', 'channel', 'source'] as const;
export type ReportSplit = (typeof reportSplits)[number];

/** Per split: the column's name, the name of its sheet (XLSX) or table (PDF, pages). */
export const REPORT_SPLIT_LABELS: Record<ReportSplit, { column: string; table: string }> = {
  category: { column: 'Categoria', table: 'Pe categorii' },
  customerType: { column: 'Tipul clientului', table: 'Pe tip de client' },
  energy: { column: 'Energia', table: 'Pe tip de energie' },
  channel: { column: 'Canalul', table: 'Pe canale' },
  source: { column: 'Sursa', table: 'Pe surse' },
};

/** A split whose value is not known (a complaint without customer type or energy). */
export const REPORT_UNKNOWN_VALUE = 'Nespecificat';

/** The figures of every row and table, in the order they are shown. */
export const reportMeasures = [
  'received',
  'solved',
  'solvedInTime',
  'late',
  'pending',
  'handlingTimeAvg',
  'handlingTimeMax',
  'handlingTimeUnit',
  'compensationsOwed',
  'compensationOwedLei',
  'compensationsPaid',
  'compensationLei',
] as const;
export type ReportMeasure = (typeof reportMeasures)[number];

export const REPORT_MEASURE_LABELS: Record<ReportMeasure, string> = {
  received: 'Primite',
  solved: 'Soluționate',
  solvedInTime: 'Soluționate în termen',
  late: 'Soluționate cu întârziere',
  pending: 'În curs la sfârșitul perioadei',
  handlingTimeAvg: 'Durata medie de soluționare',
  handlingTimeMax: 'Durata maximă de soluționare',
  handlingTimeUnit: 'Unitatea duratei',
  compensationsOwed: 'Compensații datorate',
  compensationOwedLei: 'Compensații datorate (lei)',
  compensationsPaid: 'Compensații plătite',
  compensationLei: 'Compensații plătite (lei)',
};

/** The unit of a handling time: the deadline rule's, or several when a group's rules differ. */
export const REPORT_UNIT_LABELS: Record<string, string> = {
  working: 'zile lucrătoare',
  calendar: 'zile calendaristice',
  mixed: 'unități diferite',
};
