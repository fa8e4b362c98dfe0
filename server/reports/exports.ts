/**
 * The regulator report as files (issue 16 item 1): XLSX (exceljs: one sheet per table and a sheet of definitions),
 * CSV (the rows: UTF-8 with a BOM, `;` between fields and a decimal comma, as Excel reads it with Romanian
 * settings) and a PDF with the tenant's letterhead (pdfmake, server/documents). Every file says the same as the
 * JSON answer: the columns, labels and definitions come from one place.
 */
import ExcelJS from 'exceljs';
import {
  CASE_SOURCE_LABELS,
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  CUSTOMER_TYPE_LABELS,
  ENERGY_LABELS,
} from '../codes/case-codes.ts';
import {
  REPORT_MEASURE_LABELS,
  REPORT_SPLIT_LABELS,
  REPORT_UNIT_LABELS,
  REPORT_UNKNOWN_VALUE,
  reportMeasures,
  reportSplits,
} from '../codes/report-codes.ts';
import type { Tenant } from '../db/schema/index.ts';
import { letterheadOf, renderPdf } from '../documents/index.ts';
import { roDate } from '../mail/templates/render.ts';
import type { IndicatorsReport, Measures, SplitName } from './indicators.ts';

const VALUE_LABELS: Record<SplitName, Record<string, string>> = {
  category: CATEGORY_LABELS,
  customerType: CUSTOMER_TYPE_LABELS,
  energy: ENERGY_LABELS,
  channel: CHANNEL_LABELS,
  source: CASE_SOURCE_LABELS,
};

export function splitValueLabel(split: SplitName, value: string | null): string {
  return value === null ? REPORT_UNKNOWN_VALUE : (VALUE_LABELS[split][value] ?? value);
}

const MEASURE_COLUMNS = reportMeasures.map((key) => ({ key, label: REPORT_MEASURE_LABELS[key] }));
const splits = reportSplits;

/** A measure as a cell: numbers stay numbers, the unit in words, nothing for "no complaint solved". */
function cell(m: Measures, key: keyof Measures): string | number {
  const v = m[key];
  if (v === null) return '';
  if (key === 'handlingTimeUnit') return REPORT_UNIT_LABELS[v as string] ?? String(v);
  return v;
}

function csvField(v: string | number): string {
  const s = typeof v === 'number' ? String(v).replace('.', ',') : v;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The rows (one per combination present), with Romanian labels for the splits. */
export function reportCsv(report: IndicatorsReport): Buffer {
  const header = [
    ...splits.map((s) => REPORT_SPLIT_LABELS[s].column),
    ...MEASURE_COLUMNS.map((c) => c.label),
  ];
  const lines = [
    header,
    ...report.rows.map((r) => [
      ...splits.map((s) => splitValueLabel(s, r[s])),
      ...MEASURE_COLUMNS.map((c) => cell(r, c.key)),
    ]),
  ].map((fields) => fields.map(csvField).join(';'));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

function headerRow(sheet: ExcelJS.Worksheet) {
  const row = sheet.getRow(1);
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: 'top' };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

/** One sheet per table (every split, then the combinations), and one of definitions with the period. */
export async function reportXlsx(
  report: IndicatorsReport,
  tenant: Pick<Tenant, 'name' | 'code'>,
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = tenant.name;
  wb.title = `Raport privind reclamațiile – ${report.period.label}`;
  for (const split of splits) {
    const sheet = wb.addWorksheet(REPORT_SPLIT_LABELS[split].table);
    sheet.columns = [
      { header: REPORT_SPLIT_LABELS[split].column, width: 42 },
      ...MEASURE_COLUMNS.map((c) => ({ header: c.label, width: 16 })),
    ];
    for (const t of report.tables[split])
      sheet.addRow([splitValueLabel(split, t.key), ...MEASURE_COLUMNS.map((c) => cell(t, c.key))]);
    sheet.addRow(['Total', ...MEASURE_COLUMNS.map((c) => cell(report.total, c.key))]).font = { bold: true };
    headerRow(sheet);
  }
  const combos = wb.addWorksheet('Pe combinații');
  combos.columns = [
    ...splits.map((s) => ({ header: REPORT_SPLIT_LABELS[s].column, width: 24 })),
    ...MEASURE_COLUMNS.map((c) => ({ header: c.label, width: 16 })),
  ];
  for (const r of report.rows)
    combos.addRow([
      ...splits.map((s) => splitValueLabel(s, r[s])),
      ...MEASURE_COLUMNS.map((c) => cell(r, c.key)),
    ]);
  headerRow(combos);

  const defs = wb.addWorksheet('Definiții');
  defs.columns = [
    { header: 'Termen', width: 36 },
    { header: 'Definiție', width: 120 },
  ];
  defs.addRow(['Furnizor', `${tenant.name} (${tenant.code})`]);
  defs.addRow([
    'Perioada',
    `${report.period.label}: ${roDate(report.period.from)} – ${roDate(report.period.to)}`,
  ]);
  defs.addRow(['Date până la', roDate(report.period.asOf)]);
  for (const d of report.definitions) defs.addRow([d.label, d.text]);
  defs.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  headerRow(defs);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A table of the PDF: one split's values (or "Total") with every measure. */
function pdfTable(title: string, rows: Array<{ label: string; m: Measures }>) {
  const head = ['', ...MEASURE_COLUMNS.map((c) => c.label)].map((text) => ({
    text,
    bold: true,
    fontSize: 7,
  }));
  return [
    { text: title, style: 'section' },
    {
      table: {
        headerRows: 1,
        widths: [110, ...MEASURE_COLUMNS.map(() => '*')],
        body: [
          head,
          ...rows.map((r) => [
            { text: r.label, fontSize: 7.5 },
            ...MEASURE_COLUMNS.map((c) => ({
              text: String(cell(r.m, c.key)),
              fontSize: 7.5,
              alignment: 'right',
            })),
          ]),
        ],
      },
      layout: 'lightHorizontalLines',
      margin: [0, 0, 0, 12],
    },
  ];
}

/** The report on the tenant's letterhead: the tables per split, the total and the definitions. */
export async function reportPdf(
  report: IndicatorsReport,
  tenant: Pick<Tenant, 'name' | 'letterhead' | 'intakeEmail'>,
): Promise<Buffer> {
  const l = letterheadOf(tenant);
  const doc = {
    info: { title: `Raport privind reclamațiile – ${report.period.label}`, author: l.supplier },
    pageOrientation: 'landscape',
    pageMargins: [40, 40, 40, 48] as [number, number, number, number],
    styles: {
      supplier: { fontSize: 14, bold: true, color: '#0f4c81' },
      letterhead: { fontSize: 8, color: '#374151' },
      title: { fontSize: 13, bold: true, margin: [0, 8, 0, 4] },
      section: { fontSize: 10, bold: true, margin: [0, 6, 0, 4] },
      small: { fontSize: 8, color: '#374151' },
    },
    content: [
      { text: l.supplier, style: 'supplier' },
      ...l.lines.map((line) => ({ text: line, style: 'letterhead' })),
      { canvas: [{ type: 'line', x1: 0, y1: 4, x2: 760, y2: 4, lineWidth: 0.8 }], margin: [0, 2, 0, 6] },
      { text: `Raport privind reclamațiile clienților finali – ${report.period.label}`, style: 'title' },
      {
        text: `Perioada ${roDate(report.period.from)} – ${roDate(report.period.to)}; evenimente luate în calcul până la ${roDate(report.period.asOf)}. Cifrele sunt calculate din datele dosarelor.`,
        style: 'small',
        margin: [0, 0, 0, 8],
      },
      ...pdfTable('Total', [{ label: 'Toate reclamațiile', m: report.total }]),
      ...splits.flatMap((s) =>
        pdfTable(
          REPORT_SPLIT_LABELS[s].table,
          report.tables[s].map((t) => ({ label: splitValueLabel(s, t.key), m: t })),
        ),
      ),
      { text: 'Definiții', style: 'section', pageBreak: 'before' },
      ...report.definitions.map((d) => ({
        text: [{ text: `${d.label}. `, bold: true }, d.text],
        style: 'small',
        margin: [0, 0, 0, 5],
      })),
    ],
    footer: (page: number, pages: number) => ({
      text: `${l.supplier} – ${report.period.label} – pagina ${page} din ${pages}`,
      style: 'small',
      alignment: 'center',
    }),
  };
  return renderPdf(doc);
}
