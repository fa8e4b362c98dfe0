import { Type } from 'typebox';
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
} from '../../../codes/case-codes.ts';
import { IsoDate, IsoDateTime, Nullable } from '../common.schemas.ts';

const codes = <T extends string>(list: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...list], ...(description ? { description } : {}) });

const Count = (description: string) => Type.Integer({ minimum: 0, description });

/** The figures of a row, a table line or the total (their meaning: `definitions`). */
const Measures = {
  received: Count('Complaints registered in the period'),
  solved: Count('Complaints whose answer (or filing notice) was communicated in the period'),
  solvedInTime: Count('Solved, communicated on or before the due day'),
  late: Count('Solved, communicated after the due day'),
  pending: Count('Registered by the end of the period and not communicated by then'),
  compensationsOwed: Count('Complaints whose first day of delay fell in the period'),
  compensationsPaid: Count('Compensations paid in the period'),
  compensationLei: Count('Lei of compensation paid in the period'),
  compensationOwedLei: Count('Lei owed for the compensations owed (fixed at communication, else accrued)'),
  handlingTimeAvg: Nullable(
    Type.Number({ description: 'Average days from registration to communication (solved in the period)' }),
  ),
  handlingTimeMax: Nullable(Type.Integer({ description: 'Maximum of the same' })),
  handlingTimeUnit: Nullable(
    Type.Union([Type.Literal('working'), Type.Literal('calendar'), Type.Literal('mixed')], {
      description: "The deadline rule's unit of the complaints counted ('mixed' when they differ)",
    }),
  ),
};

export const IndicatorsRowSchema = Type.Object({
  category: codes<ComplaintCategory>(complaintCategories, 'Order 16/2015 art. 2(1) a)–i)'),
  customerType: Nullable(codes<CustomerType>(customerTypes)),
  energy: Nullable(codes<Energy>(energies)),
  channel: codes<Channel>(channels),
  source: codes<CaseSource>(caseSources),
  ...Measures,
});

const TableRowSchema = Type.Object({
  key: Nullable(Type.String({ description: "The split's code; null: not known" })),
  ...Measures,
});

const DefinitionSchema = Type.Object({ key: Type.String(), label: Type.String(), text: Type.String() });

const PeriodSchema = Type.Object({
  from: IsoDate,
  to: IsoDate,
  asOf: Type.String({
    format: 'date',
    description: 'The last day whose events count: `to`, or today while the period runs',
  }),
  label: Type.String({ description: 'e.g. "Trimestrul I 2026"' }),
});

const TablesSchema = Type.Object({
  category: Type.Array(TableRowSchema),
  customerType: Type.Array(TableRowSchema),
  energy: Type.Array(TableRowSchema),
  channel: Type.Array(TableRowSchema),
  source: Type.Array(TableRowSchema),
});

export const IndicatorsSchema = Type.Object({
  period: PeriodSchema,
  rows: Type.Array(IndicatorsRowSchema, {
    description: 'One row per combination of category, customer type, energy, channel and source present',
  }),
  tables: TablesSchema,
  total: Type.Object(Measures),
  definitions: Type.Array(DefinitionSchema),
});

export const IndicatorsQuerySchema = Type.Object({
  from: IsoDate,
  to: IsoDate,
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('xlsx'), Type.Literal('csv'), Type.Literal('pdf')], {
      description:
        'json (default); xlsx: a sheet per table and one of definitions; csv: the rows, UTF-8 with BOM, `;` separated, decimal comma; pdf: on the letterhead',
    }),
  ),
});

export const ReportSettingsSchema = Type.Object({
  publicPage: Type.Boolean({ description: 'Whether /raport/<CODE> shows the latest published quarter' }),
  publicPath: Type.String(),
});

export const PublicationSchema = Type.Object({
  id: Type.Integer(),
  periodFrom: IsoDate,
  periodTo: IsoDate,
  label: Type.String(),
  publishedAt: IsoDateTime,
});

export const PublicReportSchema = Type.Object({
  supplier: Type.Object({ code: Type.String(), name: Type.String() }),
  label: Type.String(),
  publishedAt: IsoDateTime,
  period: PeriodSchema,
  tables: TablesSchema,
  total: Type.Object(Measures),
  definitions: Type.Array(DefinitionSchema),
});
