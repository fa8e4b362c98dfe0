/**
 * The privacy module's public face (.dependency-cruiser.cjs): data-subject requests (GDPR), their letters and
 * process, the export of everything held about a person, and the tenant's retention period.
 */
export {
  addMonths,
  createDsrService,
  GDPR_PROCESS_KEY,
  requireDpo,
  requireDpoOrOfficer,
  view as dsrView,
  type DsrDeps,
  type DsrService,
  type ErasureResult,
  type RegisterDsrInput,
} from './dsr.service.ts';
export { dsrLetterForPost, queueDsrLetterForPost } from './dsr-postal.ts';
export {
  gdprRequestOfInstance,
  gdprRequestsByNumbers,
  isGdprNumber,
  type GdprTaskRequest,
} from './dsr-tasks.ts';
export { exportSubject, type ExportSubject, type SubjectData } from './export.ts';
export {
  MAX_RETENTION_YEARS,
  MIN_RETENTION_YEARS,
  retentionYears,
  setRetentionYears,
} from './privacy-settings.ts';
