/**
 * The reports module's public face (.dependency-cruiser.cjs): the regulator report of complaints (issue 16 item
 * 1): indicators per quarter or any period, computed from the case data, their XLSX, CSV and PDF, the tenant's
 * opt-in public page and the quarters it published.
 */
export {
  createReportsService,
  type ReportFile,
  type ReportFormat,
  type ReportsService,
} from './reports.service.ts';
export { DEFINITIONS, type Definition } from './definitions.ts';
export { type IndicatorsReport, type Measures, type Row, type TableRow } from './indicators.ts';
export { quarter, quarterOf, type Quarter } from './periods.ts';
